"""The child's card: ``/card 张三`` (档案) and its corrections, ``/card`` alone, ``/talks 张三`` (谈心记录).

What each person sees is decided by :mod:`bot.services.cards`; an unknown
name and a child outside the person's scope get the same answer. The child's
class teacher and the admins get the card with "Correct …" answers; each
correction asks for the new value and shows the card again; what the roster
import would refuse (a formula's start, text longer than its column) is
refused with the import's words and asked again. What the card and the talk
record show, line by line: :mod:`bot.flows.card_view`. See docs/flows/card.md.
"""

from __future__ import annotations

import logging
from enum import StrEnum
from typing import Any

from bot.domain import archive
from bot.domain.enums import ADMIN_ROLES, OFFICIAL_ROLES, STAFF_ROLES, Role
from bot.domain.privacy import AuditAction
from bot.domain.roster_cells import CellError
from bot.flows import card_view, pick
from bot.flows.card_view import FACT_LABELS  # noqa: F401 - re-exported where it was defined
from bot.flows.common import Ctx, Option, audit_child, say
from bot.messages import payloads
from bot.messages.prompt import N_, Prompt, msg, phone, plural, text
from bot.services import access, card_edit, cards, child_names, left_school, talk_history
from bot.services.access import ChildRef, Purpose
from bot.services.card_edit import Edit, Field
from bot.services.cards import Part

log = logging.getLogger(__name__)
FLOW = "card"


class State(StrEnum):
    """The flow's states."""

    WHICH = "which"  # namesakes
    CARD = "card"  # the card, with "Correct …" answers
    VALUE = "value"  # the new value, typed
    CONFIRM = "confirm"  # a phone number: old → new, saved only when confirmed


CORRECTIONS = (
    Option(N_("Correct the address"), Field.ADDRESS.value),
    Option(N_("Correct the guardian's phone"), Field.GUARDIAN_PHONE.value),
    Option(N_("Change the guardian"), Field.GUARDIAN.value),
    Option(N_("Change the helper teacher"), Field.HELPER_TEACHER.value),
    Option(N_("Change the caring parent"), Field.CARING_PARENT.value),
    Option(N_("Change the study buddy"), Field.STUDY_BUDDY.value),
)


ASK_VALUE = {
    Field.ADDRESS: N_("The new address of {child}:"),
    Field.GUARDIAN_PHONE: N_("The guardian's new phone number ({child}):"),
    Field.GUARDIAN: N_("The new entrusted guardian of {child}: name, phone and relation, "
                       "e.g. 张桂英 13800001111 外祖母"),
    Field.HELPER_TEACHER: N_("The helper teacher's name for {child}:"),
    Field.CARING_PARENT: N_("The caring-parent volunteer's name for {child}:"),
    Field.STUDY_BUDDY: N_("The study buddy's name (a pupil of the school) for {child}:"),
}


EDIT_REPLIES = {
    Edit.BAD_VALUE: N_("That does not look right (a phone number needs 11 digits; a guardian needs name and phone). "
                       "Please send it again."),
    Edit.NOT_FOUND: N_("Nobody of that name at the school can take this. Please check the name and send it again."),
    Edit.AMBIGUOUS: N_("Several people have that name; please ask an admin to change it in the roster."),
    Edit.NO_GUARDIAN: N_("The card names no guardian yet: choose “Change the guardian” instead."),
    Edit.NOT_ALLOWED: N_("Only the class teacher and the school's admins may correct this card."),
    Edit.UNCHANGED: N_("That is already the number on record; nothing was changed."),
}

PHONE_TAKEN = N_("{value} is already on record as another person's phone number, so {child}'s alerts and check-ins "
                  "would reach that person. Nothing was changed; please check the number with the family and send "
                  "it again.")
"""Another person's number at the school (``card_phone.phone_taken``, the dashboard's rule too)."""
CONFIRM_PHONE = N_("Change the phone of {guardian} ({child}'s guardian): {old} → {new}?")
CONFIRM_OPTIONS = (Option(N_("Save"), "save"), Option(N_("Type it again"), "again"), Option(N_("Cancel"), "cancel"))
NOT_FOUND = N_("I couldn't find a child called {name} whose card you may see.")
FAMILY_TALKS = N_("Talk records are kept for the child's teachers, so /talks is not for families. You can see "
                  "your child's card with /card and the child's name.")


def start(ctx: Ctx, name: str) -> list[Prompt]:
    """``/card NAME``: the card; ``/card`` alone: what the archives of one's classes (or school) still lack."""
    actor = ctx.bound()
    if not name:
        return completeness(ctx)
    left = left_school.find(ctx.uow, actor, name, talks=False)
    found = pick.by_name(ctx, name, Purpose.TASK) + left  # TASK: VIEW, or the child of an open task of theirs
    if not found:
        return _closest(ctx, name, "card")
    if len(found) > 1:
        ctx.values["then"] = "card"
        return [_ask_which(ctx, name, found, left)]
    log.info("person %s opened a card", actor.person_id)
    return show(ctx, found[0].id)


def talks_command(ctx: Ctx, name: str) -> list[Prompt]:
    """``/talks NAME``: the child's talk record cards, newest first."""
    if not name:
        return [say(N_("Please add the child's name, e.g. /talks 张三"))]
    if not (STAFF_ROLES | OFFICIAL_ROLES) & ctx.bound().roles:  # a family: the card, not "no such child" (issue 9)
        return [say(FAMILY_TALKS)]
    left = left_school.find(ctx.uow, ctx.bound(), name, talks=True)
    found = pick.by_name(ctx, name, _talks_purpose(ctx)) + left
    if len(found) > 1:
        ctx.values["then"] = "talks"
        return [_ask_which(ctx, name, found, left)]
    if not found:
        return _closest(ctx, name, "talks")
    result = talk_history.history(ctx.uow, ctx.bound(), found[0].id)
    if result is None:
        return [say(NOT_FOUND, name=text(name.strip()))]
    _audit_talks(ctx, found[0].id)
    return [card_view.talks_prompt(ctx, found[0].id, found[0].name, *result)]


def _closest(ctx: Ctx, name: str, then: str) -> list[Prompt]:
    """A name that matches nobody: the closest names whose card (or talks) they may read, numbered, else "not found".

    Only children in the person's scope are compared, so an answer never reveals a child outside it (as for /talk).
    """
    purpose = _talks_purpose(ctx) if then == "talks" else Purpose.TASK
    close = [c for c in child_names.closest(ctx.uow, ctx.bound(), purpose=purpose, name=name)
             if then == "card" or talk_history.readable(ctx.uow, ctx.bound(), c.id)]
    if not close:
        return [say(NOT_FOUND, name=text(pick.shown_name(name)))]
    ctx.values["then"] = then
    return [ctx.ask(FLOW, State.WHICH, pick.did_you_mean(ctx), {"name": text(name.strip())},
                    options=pick.options_for(ctx, close), free_text=True)]


def _audit_talks(ctx: Ctx, child_id: int) -> None:
    """Record the read of a child's talks; one through an open task says so (access footnote [4])."""
    audit_child(ctx, AuditAction.VIEW_TALKS, child_id, **access.task_grant(ctx.uow, ctx.bound(), child_id))


def _ask_which(ctx: Ctx, name: str, found: list[ChildRef], left: list[ChildRef]) -> Prompt:
    """Namesakes: those at school as every picker shows them, then those who left, marked with the day they left."""
    return ctx.ask(FLOW, State.WHICH, pick.WHICH_ONE, {"count": len(found), "name": text(name.strip())},
                   options=pick.options_with_left(ctx, found, left), free_text=True)


def _talks_purpose(ctx: Ctx) -> Purpose:
    """Whom ``/talks`` may find: a leader or safeguarding lead, every active child of the school.

    The school-wide scope of reporting an incident (:data:`bot.services.access.SCHOOL_WIDE_INCIDENT_ROLES`)
    is exactly the leaders' (:data:`bot.services.talk_history.LEADERS`) plus the teachers, whose own
    children :func:`bot.services.talk_history.history` then still checks.
    """
    return Purpose.INCIDENT if talk_history.LEADERS & ctx.bound().roles else Purpose.TASK



def show(ctx: Ctx, child_id: int) -> list[Prompt]:
    """The card as the person may see it; with the correction answers when they may correct it."""
    found = cards.card(ctx.uow, ctx.bound(), child_id)
    if found is None:
        ctx.finish()
        return [say(N_("That child's card is not yours to see (or the child has left)."))]
    # A read through an open task says so (access footnote [4]): who read the card, and on what grounds.
    audit_child(ctx, AuditAction.VIEW_CARD, child_id,
                **(access.task_grant(ctx.uow, ctx.bound(), child_id) if found.part is Part.TASK else {}))
    header, params, lines = card_view.card_lines(found)
    left = pick.left_mark(ctx, child_id)
    if left is not None:  # marked at the top: the child has left the school (the card is read only)
        header, params = N_("{left}\nCard of {child} ({class_name}):"), {**params, "left": left}
    if not found.may_correct:
        ctx.finish()
        return [Prompt(header, params, lines=lines)]
    ctx.values.update(child_id=found.child_id, child_name=found.name)
    ctx.conv.data["steps"] = 0  # the card is a resting point: nothing unsaved, a command replaces it unasked
    return [ctx.ask(FLOW, State.CARD, header, params, options=CORRECTIONS, lines=lines)]


def completeness(ctx: Ctx) -> list[Prompt]:
    """``/card`` alone: per class, complete cards and what the incomplete ones lack (class teacher: own classes)."""
    actor = ctx.bound()
    if ADMIN_ROLES & actor.roles:
        filings = cards.completeness(ctx.uow, school_id=actor.school_id)
        detail = False
    elif Role.CLASS_TEACHER in actor.roles:
        filings = cards.completeness(ctx.uow, school_id=actor.school_id,
                                     class_ids=cards.own_class_ids(ctx.uow, actor.person_id))
        detail = True
    else:
        return [say(N_("Please add the child's name, e.g. /card 张三"))]
    if not filings:
        return [say(N_("No children on record for you yet."))]
    total, complete = sum(f.total for f in filings), sum(f.complete for f in filings)
    lines: list[tuple[str, dict[str, Any]]] = []
    for f in filings:
        lines.append((N_("• {class_name}: {complete} of {total} complete, {unpaired} without a full pairing"),
                      {"class_name": text(f.class_name or "—"), "complete": f.complete, "total": f.total,
                       "unpaired": len(f.unpaired)}))
        if detail:
            lines += [(N_("  {child}: {fields}"), {"child": text(name), "fields": [msg(archive.FIELDS[k]) for k in m]})
                      for _, name, m in f.incomplete]
            lines += [(N_("  {child}: no {pairings}"),
                       {"child": text(name), "pairings": [msg(archive.PAIRINGS[k]) for k in m]})
                      for _, name, m in f.unpaired]
    return [Prompt(*plural("Archives (一人一档): {complete} of {total} card complete.",
                           "Archives (一人一档): {complete} of {total} cards complete.", total,
                           complete=complete, total=total), lines=tuple(lines))]


def on_choice(ctx: Ctx, value: str) -> list[Prompt]:
    """A namesake picked, or a correction chosen."""
    state = State(ctx.conv.state or State.CARD)
    if state is State.WHICH:
        talks = ctx.values.get("then") == "talks"
        child = (pick.by_choice(ctx, value, _talks_purpose(ctx) if talks else Purpose.TASK)
                 or left_school.by_id(ctx.uow, ctx.bound(), payloads.decode_child_value(value) or 0, talks=talks))
        if child is None:
            ctx.finish()
            return [say(N_("That child's card is not yours to see (or the child has left)."))]
        if ctx.values.get("then") == "talks":
            ctx.finish()
            result = talk_history.history(ctx.uow, ctx.bound(), child.id)
            if not result:
                return [say(NOT_FOUND, name=text(child.name))]
            _audit_talks(ctx, child.id)
            return [card_view.talks_prompt(ctx, child.id, child.name, *result)]
        return show(ctx, child.id)
    if state is State.CONFIRM:
        return _confirmed(ctx, value)
    what = Field(value)
    ctx.values["field"] = what.value
    return [ctx.ask(FLOW, State.VALUE, ASK_VALUE[what], {"child": text(ctx.values.get("child_name", ""))},
                    prose=what is Field.ADDRESS, free_text=True)]


def on_text(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """The new value, typed; a name typed at the namesake (or closest names) question is a new search."""
    state = State(ctx.conv.state or State.CARD)
    if state is State.WHICH:  # "otherwise send the name again": a new search, for the card or the talks
        then = ctx.values.get("then")
        ctx.finish()
        return talks_command(ctx, typed) if then == "talks" else start(ctx, typed)
    if state is not State.VALUE:
        return None
    try:
        if Field(ctx.values.get("field", "")) is Field.GUARDIAN_PHONE:
            change = card_edit.phone_change(ctx.uow, ctx.bound(), child_id=int(ctx.values.get("child_id", 0)),
                                            value=typed)
            if isinstance(change, card_edit.PhoneChange) and change.taken:
                return _phone_taken(ctx, phone(change.new))
            if isinstance(change, card_edit.PhoneChange):
                return [_ask_confirm(ctx, change)]
            return _edited(ctx, change)
        result = card_edit.correct(ctx.uow, ctx.bound(), child_id=int(ctx.values.get("child_id", 0)),
                                   what=Field(ctx.values.get("field", "")), value=typed, now=ctx.now)
    except CellError as refused:  # the roster import's reason (a formula's start, too long): asked again
        again = ctx.current_prompt()
        return [say(refused.reason, **{k: v if isinstance(v, int) else text(str(v))
                                       for k, v in refused.params.items()}), *([again] if again else [])]
    return _edited(ctx, result)


def _ask_confirm(ctx: Ctx, change: card_edit.PhoneChange) -> Prompt:
    """A phone number is saved only once its change, old → new and whose, is confirmed (a typo reaches nobody)."""
    ctx.values["new_phone"] = change.new
    return ctx.ask(FLOW, State.CONFIRM, CONFIRM_PHONE, {
        "guardian": text(change.guardian), "child": text(ctx.values.get("child_name", "")),
        "old": phone(change.old) if change.old else msg(N_("none on record")), "new": phone(change.new)},
        options=CONFIRM_OPTIONS)


def _confirmed(ctx: Ctx, value: str) -> list[Prompt]:
    """The answer to :func:`_ask_confirm`: save, type the number again, or leave the card as it is."""
    if value == "again":
        return [ctx.ask(FLOW, State.VALUE, ASK_VALUE[Field.GUARDIAN_PHONE],
                        {"child": text(ctx.values.get("child_name", ""))}, free_text=True)]
    if value != "save":
        ctx.finish()
        return [say(N_("Nothing was changed."))]
    result = card_edit.correct(ctx.uow, ctx.bound(), child_id=int(ctx.values.get("child_id", 0)),
                               what=Field.GUARDIAN_PHONE, value=str(ctx.values.get("new_phone", "")), now=ctx.now)
    return _edited(ctx, result)


def _phone_taken(ctx: Ctx, value: Any) -> list[Prompt]:
    """Another person's number refused, and the guardian's phone asked for again (nothing saved)."""
    refused = say(PHONE_TAKEN, value=value, child=text(ctx.values.get("child_name", "")))
    audit_child(ctx, AuditAction.PHONE_REFUSED, int(ctx.values.get("child_id", 0)), field=ctx.values["field"])
    if Field(ctx.values.get("field", "")) is Field.GUARDIAN_PHONE:
        return [refused, ctx.ask(FLOW, State.VALUE, ASK_VALUE[Field.GUARDIAN_PHONE],
                                 {"child": text(ctx.values.get("child_name", ""))}, free_text=True)]
    again = ctx.current_prompt()  # a new guardian's name, phone and relation: that question again
    return [refused, *([again] if again else [])]


def _edited(ctx: Ctx, result: Edit) -> list[Prompt]:
    """What a correction's outcome says: saved (and the card again), asked again, or why not."""
    if result is Edit.SAVED:
        audit_child(ctx, AuditAction.CARD_CORRECTED, int(ctx.values.get("child_id", 0)), field=ctx.values["field"])
        return [say(N_("Saved; the change is recorded.")), *show(ctx, int(ctx.values.get("child_id", 0)))]
    if result is Edit.PHONE_TAKEN:
        phone_edit = Field(ctx.values.get("field", "")) is Field.GUARDIAN_PHONE
        typed = str(ctx.values.get("new_phone") or "") if phone_edit else ""
        return _phone_taken(ctx, phone(typed) if typed else msg(N_("That number")))
    if result in (Edit.BAD_VALUE, Edit.NOT_FOUND):
        again = ctx.current_prompt()
        return [say(EDIT_REPLIES[result]), *([again] if again else [])]
    ctx.finish()
    return [say(EDIT_REPLIES[result])]


COMMANDS = {"card": start, "talks": talks_command}
"""Command name (``bot.flows.commands.COMMANDS`` value) → handler."""
