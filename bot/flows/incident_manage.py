"""An open incident after its report: close it with its outcome, leave someone out, see its timeline.

``ack:<id>`` acknowledges a chain message.
``close:<id>`` (on the report reply, the notices, the incident view) and
``/close`` (结束事件) ask for the outcome (the child is safe at school / at
home / taken to a clinic or hospital / found / other, with a note), then for a
confirmation naming the child and the report time. The confirming answer is
**typed-only** (``Choice.typed``): a button, or its words ("确认结束"), never a
number — a typed "1" meant for another question can never close an incident
(issue 6, item 2). ``excl:<id>`` leaves a named person out of the chain, with
a reason; ``inc:<id>`` (from ``/due``) shows the timeline. See
docs/flows/incident.md.
"""

from __future__ import annotations

import logging
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.domain.enums import OFFICIAL_ROLES, STAFF_ROLES, IncidentOutcome
from bot.domain.privacy import AuditAction
from bot.flows import close_words, commands
from bot.flows import words as everyday
from bot.flows.common import INVALID_BUTTON, Ctx, Option, reason_problem, say
from bot.flows.common import MAX_TEXT as MAX_NOTE
from bot.flows.leave_out_reason import leaving_out as _leaving_out
from bot.messages.labels import role_label
from bot.messages.prompt import N_, Prompt, dt, msg, text
from bot.services import (
    audit,
    due_school,
    incident_close,
    incident_exclusions,
    incident_messages,
    incident_outcomes,
    incident_privacy,
    incident_replies,
    incident_timeline,
    incidents,
)
from bot.services.incident_messages import KIND_LABELS
from bot.services.incident_notices import OUTCOME_LABELS, OUTCOME_SHOWN, close_reply
from bot.services.incident_people import is_safeguarding

log = logging.getLogger(__name__)
FLOW = "incident_manage"


class State(StrEnum):
    """The flow's states (see its diagram in docs/flows/incident.md)."""

    PICK = "pick"
    OUTCOME = "outcome"
    NOTE = "note"
    CONFIRM = "confirm"
    EXCLUDE_PICK = "exclude_pick"
    EXCLUDE_REASON = "exclude_reason"


SKIP = Option(N_("Skip"), "skip")
CONFIRM_CLOSE = Option(close_words.CONFIRM_WORDS, "close", typed=True)
KEEP_OPEN = Option(N_("Keep it open"), "keep")
BACK = Option(N_("Back"), "back")
OTHER_OUTCOME = Option(N_("Another outcome"), "outcome")
OTHER_NEEDS_WORDS = N_("With “other”, your words are the outcome everyone who was told will read, so “{word}” cannot "
                       "stand for it. Please write in a few words how it ended for {child} (e.g. picked up by the "
                       "family, to see the doctor again tomorrow), or choose Keep it open.")
ADD_NOTE = Option(N_("Add a note"), "note")
NO_OPEN_INCIDENT = N_("You have no open incident you can close.")
ONLY_TEACHERS_CLOSE = N_("Only the teachers close an incident. To tell them anything, just write it here.")


def on_close_button(ctx: Ctx, incident_id: int, outcome: str | None = None) -> list[Prompt]:
    """``close:<id>``: begin closing (outcome first), or say why not.

    ``outcome``: chosen already by the all clear the button came with (``close:<id>:f``, issue 6): only the
    confirmation is asked, the note optional (typed there) and the outcome still changeable. Someone with no
    business with the incident reads what an unknown id reads (:func:`_unknown`).
    """
    if _unknown(ctx, incident_id):
        return [say(INVALID_BUTTON)]
    found = incident_timeline.close_view(ctx.uow, person_id=ctx.bound().person_id, incident_id=incident_id)
    if found is None:
        return [close_reply(incident_close.CloseResult.DENIED)]
    if found.status != "open":
        return [close_reply(incident_close.CloseResult.ALREADY)]
    ctx.finish()
    ctx.conv.data["v"] = {"incident_id": incident_id, "child": found.child, "class_name": found.class_name,
                          "kind": found.kind, "reported_at": found.reported_at.isoformat()}
    if outcome in {o.value for o in OUTCOME_LABELS} and outcome != IncidentOutcome.OTHER:
        ctx.conv.data["v"].update(outcome=outcome, note=None, preset=True)
        return [_ask(ctx, State.CONFIRM)]
    return [_ask(ctx, State.OUTCOME)]


def on_button(ctx: Ctx, action: str, incident_id: int) -> list[Prompt]:
    """``ack:<id>`` pressed on a chain message (outside any conversation).

    Args:
        ctx: the update being handled.
        action: ``"ack"``.
        incident_id: from the decoded payload (:mod:`bot.messages.payloads`).

    Someone with no business with the incident — kept away from it (the accused principal left out), or
    never in it — reads what an unknown id reads (:func:`_unknown`), before anything is locked or written.
    """
    actor = ctx.bound()
    if _unknown(ctx, incident_id):
        return [say(INVALID_BUTTON)]
    acked = incidents.acknowledge(ctx.uow, person_id=actor.person_id, incident_id=incident_id, now=ctx.now)
    log.info("person %s ack incident %s: %s (%s)", actor.person_id, incident_id, acked, action)
    return [incident_messages.ack_reply(acked, incident_replies.child_name(ctx.uow, incident_id))]


def close_command(ctx: Ctx) -> list[Prompt]:
    """``/close`` (结束事件): the person's closable open incidents; one is begun at once, several are asked."""
    actor = ctx.bound()
    items = due_school.open_incidents(ctx.uow, person_id=actor.person_id, school_id=actor.school_id)
    if not items:
        ctx.finish()
        family = not (STAFF_ROLES | OFFICIAL_ROLES) & actor.roles  # a guardian's 结束事件 (fix6z)
        return [say(ONLY_TEACHERS_CLOSE if family else NO_OPEN_INCIDENT)]
    if len(items) == 1:
        return on_close_button(ctx, items[0].incident_id)
    ctx.conv.data["v"] = {}
    options = [Option(N_("{child} ({kind}, {reported_at})"), f"i{i.incident_id}",
                      {"child": text(i.child), "kind": msg(KIND_LABELS.get(i.kind, i.kind)),
                       "reported_at": dt(i.reported_at)})
               for i in sorted(items, key=lambda i: (i.reported_at, i.incident_id))[:due_school.MAX_INCIDENT_BUTTONS]]
    return [ctx.ask(FLOW, State.PICK, N_("Which incident do you want to close?"), {}, options)]


def _unknown(ctx: Ctx, incident_id: int) -> bool:
    """Whether the incident is, to this person, as an id that does not exist: "that button is no longer valid".

    "Only the reporting teacher can close this incident" or "you cannot acknowledge this incident" would tell
    the principal left out of an abuse report, typing ``close:<id>`` ids one by one, that it exists (fix9t).
    Who may see the incident keeps the specific words (:func:`~bot.services.incident_timeline.may_view_incident`:
    never anyone it keeps away).
    """
    return not incident_timeline.may_view_incident(ctx.uow, person_id=ctx.bound().person_id, incident_id=incident_id)


def on_view_button(ctx: Ctx, incident_id: int) -> list[Prompt]:
    """``inc:<id>``: the incident's timeline, for whoever may see it (else: an invalid button)."""
    person_id = ctx.bound().person_id
    if _unknown(ctx, incident_id):
        return [say(INVALID_BUTTON)]
    audit.record(ctx.uow, actor_id=person_id, action=AuditAction.VIEW_INCIDENT,
                 child_id=audit.incident_child(ctx.uow, incident_id), channel=ctx.channel, now=ctx.now,
                 incident=incident_id)
    return [incident_timeline.timeline_prompt(ctx.uow, incident_id, person_id=person_id)]


def on_exclude_button(ctx: Ctx, incident_id: int) -> list[Prompt]:
    """``excl:<id>``: whom to leave out of the chain (reporter or admin), or why not (unknown: :func:`_unknown`)."""
    if _unknown(ctx, incident_id):
        return [say(INVALID_BUTTON)]
    found = incident_timeline.close_view(ctx.uow, person_id=ctx.bound().person_id, incident_id=incident_id)
    if found is None:
        return [say(N_("Only the reporting teacher or a school administrator can change this incident's chain."))]
    if found.status != "open":
        return [close_reply(incident_close.CloseResult.ALREADY)]
    people = incident_exclusions.excludable(ctx.uow, incident_id, by=ctx.bound().person_id)
    # The reporter may be a teacher outside the child's circle: the family by relation only.
    knows = incident_privacy.knows_family(ctx.uow, ctx.bound().person_id, audit.incident_child(ctx.uow, incident_id)
                                          or 0)
    ctx.finish()
    ctx.conv.data["v"] = {"incident_id": incident_id, "child": found.child,
                          "names": {str(p.person_id): p.name for p in people},
                          "shown": {str(p.person_id): incident_privacy.name_or_relation(p.name, p.role, knows)
                                    for p in people}}
    options = [Option(N_("{name} ({role})"), f"p{p.person_id}", {"name": text(p.name), "role": _role(p.role)})
               if incident_privacy.named(p.role, knows) else Option(role_label(p.role) or p.role, f"p{p.person_id}")
               for p in people]
    return [ctx.ask(FLOW, State.EXCLUDE_PICK, N_("Who should get no further messages about the incident about "
                                                 "{child}?"), {"child": text(found.child)}, [*options, BACK])]


def _role(role: str) -> dict[str, Any]:
    label = role_label(role)
    return msg(label) if label else text(role)


def _summary_params(ctx: Ctx) -> dict[str, Any]:
    v = ctx.values
    return {"child": text(v["child"]), "class_name": text(v["class_name"] or "—"),
            "kind": msg(KIND_LABELS.get(v["kind"], v["kind"])),
            "reported_at": dt(datetime.fromisoformat(v["reported_at"]))}


def _ask(ctx: Ctx, state: State) -> Prompt:
    v = ctx.values
    if state is State.OUTCOME:
        outcomes = [o for o in incident_outcomes.ordered(ctx.uow, int(v["incident_id"]), ctx.timezone)  # LOW-9
                    if o is not IncidentOutcome.REFERRED or is_safeguarding(v["kind"])]
        return ctx.ask(FLOW, state, N_("Before closing the incident about {child} ({class_name}), {kind} reported at "
                                       "{reported_at}: how is the child now?"), _summary_params(ctx),
                       [Option(OUTCOME_LABELS[o], o.value) for o in outcomes])
    if state is State.NOTE:
        if v["outcome"] == IncidentOutcome.OTHER:
            return ctx.ask(FLOW, state, N_("Please write a few words about how it ended for {child}."),
                           {"child": text(v["child"])}, (KEEP_OPEN,), prose=True)
        return ctx.ask(FLOW, state, N_("Anything to add about {child} for the people who were told? Write a few "
                                       "words, or choose Skip."), {"child": text(v["child"])}, (SKIP,), prose=True)
    if state is State.EXCLUDE_REASON:
        # Left out at the pick already (_leave_out): the question says so, the reason is for the timeline.
        return ctx.ask(FLOW, state, N_("Why should {name} get no further messages? (From now on they get none.) "
                                       "Write a few words; they are kept with the incident."),
                       {"name": _leaving_out(v)}, prose=True)
    lines: list[tuple[str, dict[str, Any]]] = [
        (N_("Outcome: {value}"), {"value": msg(OUTCOME_SHOWN[IncidentOutcome(v["outcome"])])})]
    if v.get("note"):
        lines.append((N_("Details: {value}"), {"value": text(v["note"])}))
    lines.append((N_("Everyone the contact chain reached will be told the outcome."), {}))
    options: tuple[Option, ...] = (CONFIRM_CLOSE, KEEP_OPEN)
    if v.get("preset"):
        # From an all clear the outcome was chosen for them: a note is its own choice, never asked in this message,
        # so a no here only ever refuses the close (fix6v: 没有 meant "no note" and kept the incident open).
        options = (CONFIRM_CLOSE, OTHER_OUTCOME, KEEP_OPEN) if v.get("note") or v.get("no_note") else (
            CONFIRM_CLOSE, ADD_NOTE, OTHER_OUTCOME, KEEP_OPEN)
    return ctx.ask(FLOW, State.CONFIRM, N_("Close the incident about {child} ({class_name}), {kind} reported at "
                                           "{reported_at}?"), _summary_params(ctx), options,
                   lines=tuple(lines), free_text=bool(v.get("preset")))


def on_choice(ctx: Ctx, value: str) -> list[Prompt]:
    """An answer picked from the current question's options."""
    state = State(ctx.conv.state or "")
    v = ctx.values
    if state is State.PICK:
        if not value.startswith("i") or not value[1:].isdigit():
            ctx.finish()
            return [say(INVALID_BUTTON)]
        return on_close_button(ctx, int(value[1:]))
    if state is State.OUTCOME:
        v["outcome"] = value
        return [_ask(ctx, State.NOTE)]
    if state is State.NOTE and value == KEEP_OPEN.value:  # "other" has no Skip: keeping it open is the way out
        ctx.finish()
        return [close_words.kept_open(v["child"])]
    if state is State.NOTE:  # Skip
        v["note"], v["no_note"] = None, True
        return [_ask(ctx, State.CONFIRM)]
    if state is State.EXCLUDE_PICK:
        name = v.get("names", {}).get(value[1:]) if value.startswith("p") else None
        if name is None:
            ctx.finish()
            return [say(N_("Nobody was left out."))]
        v["leaving_out"], v["leaving_out_name"] = value[1:], name
        if not _leave_out(ctx):
            ctx.finish()
            return [_not_left_out(v)]
        return [_ask(ctx, State.EXCLUDE_REASON)]
    if value == ADD_NOTE.value:
        return [_ask(ctx, State.NOTE)]
    if value == OTHER_OUTCOME.value:  # the all clear's outcome does not fit: the usual questions
        v["preset"], v["note"] = False, None
        return [_ask(ctx, State.OUTCOME)]
    if value != "close":  # "Keep it open": said as plainly as a typed no, with how to close it later
        child = v["child"]
        ctx.finish()
        return [close_words.kept_open(child)]
    return _close(ctx)


def on_text(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """Typed text: the note, or the reason for leaving someone out; None when this state wants a choice."""
    state = State(ctx.conv.state or "")
    words = typed.strip()
    if state is State.OUTCOME and (close_words.is_no(ctx, words) or close_words.is_skip(ctx, words)
                                   or _is_confirm_close(ctx.locale, words)):
        return [close_words.outcome_needed(ctx.values["child"]), _ask(ctx, state)]  # 跳过 is no outcome
    if state is State.CONFIRM and close_words.is_no(ctx, words):  # 不用 at "close the incident?": kept open
        child = ctx.values["child"]
        ctx.finish()
        return [close_words.kept_open(child)]
    if state is State.CONFIRM and close_words.is_skip(ctx, words):  # 跳过: no note, never one written (fix6av)
        return [close_words.skipped(ctx), _ask(ctx, state)]
    if state is State.OUTCOME and len(words) >= 2 and not everyday.is_acknowledgement(ctx.locale, words) \
            and len(words) <= MAX_NOTE:
        # A sentence instead of a pick ("孩子已由爷爷接回家"): "other", with those words as the note.
        ctx.values["outcome"], ctx.values["note"] = IncidentOutcome.OTHER.value, words
        return [_ask(ctx, State.CONFIRM)]
    if state is State.CONFIRM and _is_confirm_close(ctx.locale, words):
        return _close(ctx)  # "确认结束" in English mode (or "Confirm close" in Chinese): the confirmation itself
    if state is State.CONFIRM and commands.parse(words) == ("close", ""):
        return None  # 结束事件 again: "please type 确认结束" (bot.flows.dispatch), never the note (fix6ar)
    if state is State.CONFIRM and ctx.values.get("preset") and len(words) >= 2 and len(words) <= MAX_NOTE \
            and not everyday.is_acknowledgement(ctx.locale, words):
        # From an all clear the note is asked for with the confirmation: words typed there are the note.
        ctx.values["note"] = words
        return [_ask(ctx, State.CONFIRM)]
    if state not in (State.NOTE, State.EXCLUDE_REASON):
        return None
    if state is State.NOTE and ctx.values["outcome"] != IncidentOutcome.OTHER and (
            close_words.is_skip(ctx, words) or close_words.is_no(ctx, words)):
        # 不需要, 没有, 不用了谢谢, nope, none at the optional note: no note, as 跳过 (fix6v)
        ctx.values["note"], ctx.values["no_note"] = None, True
        return [Prompt(close_words.NO_NOTE), _ask(ctx, State.CONFIRM)]
    if state is State.NOTE and (close_words.is_skip(ctx, words) or close_words.is_no(ctx, words)):
        # "Other": the note IS the outcome everyone told reads; 没有 / 不需要 / no would be read as it (fix6ad).
        return [say(OTHER_NEEDS_WORDS, word=text(words), child=text(ctx.values["child"])), _ask(ctx, state)]
    if state is State.NOTE and everyday.is_acknowledgement(ctx.locale, words):
        # "确认" / "好的" is no note for the family ("说明：确认"): meant for the confirmation that follows.
        return [say(N_("Please write a few words about {child}, or choose Skip."), child=text(ctx.values["child"])),
                _ask(ctx, state)]
    if state is State.NOTE and _is_confirm_close(ctx.locale, words):
        # "确认结束" answers the confirmation that comes after the note: no note for everyone told ("说明：确认结束").
        first = (N_("First a few words about how it ended for {child}; then you confirm closing.")
                 if ctx.values["outcome"] == IncidentOutcome.OTHER else
                 N_("First a short note about {child} for the people who were told, or choose Skip; then you "
                    "confirm closing."))
        return [say(first, child=text(ctx.values["child"])), _ask(ctx, state)]
    if not words or len(words) > MAX_NOTE:
        problem = say(N_("Please write a few words (at most {limit} characters)."), limit=MAX_NOTE)
        return [problem, _ask(ctx, state)]
    if state is State.EXCLUDE_REASON:
        no_reason = reason_problem(words, _leaving_out(ctx.values))
        return [no_reason, _ask(ctx, state)] if no_reason is not None else _exclude(ctx, words)
    ctx.values["note"] = words
    return [_ask(ctx, State.CONFIRM)]


def confirming(ctx: Ctx) -> bool:
    """Whether this chat is at the close confirmation (“确认结束…吗？”), where the phrase must be typed.

    There the close command word (``close``, ``结束事件``, ``/close``) is the person confirming in the wrong words,
    not a new /close: it gets "please type 确认结束", never "drop the unfinished close?" (fix6ar, issue 6).
    """
    return ctx.conv.flow == FLOW and ctx.conv.state == State.CONFIRM.value


_is_confirm_close = close_words.is_confirm


def back(ctx: Ctx) -> list[Prompt] | None:
    """``返回``: the close's question before this one (the note: the outcome); None where none is (then it cancels).

    fix6at: ``返回`` at "其他（请说明）"'s words dropped the whole close, while in a report it goes back one step.
    """
    state, preset = State(ctx.conv.state or ""), bool(ctx.values.get("preset"))
    if state is State.NOTE:  # after an all clear the note is asked from the confirmation ("Add a note")
        return [_ask(ctx, State.CONFIRM if preset else State.OUTCOME)]
    return [_ask(ctx, State.NOTE)] if state is State.CONFIRM and not preset else None


def _close(ctx: Ctx) -> list[Prompt]:
    v = ctx.values
    closed = incident_close.close_incident(ctx.uow, person_id=ctx.bound().person_id, incident_id=int(v["incident_id"]),
                                           now=ctx.now, outcome=v["outcome"], note=v.get("note"))
    log.info("person %s closed incident %s: %s", ctx.bound().person_id, v["incident_id"], closed)
    if closed == incident_close.CloseResult.CLOSED:
        audit.record(ctx.uow, actor_id=ctx.bound().person_id, action=AuditAction.INCIDENT_CLOSED,
                     child_id=audit.incident_child(ctx.uow, int(v["incident_id"])), channel=ctx.channel,
                     now=ctx.now, incident=int(v["incident_id"]))
    ctx.finish()
    return [close_reply(closed)]


def _leave_out(ctx: Ctx) -> bool:
    """Leave the person picked out at once, before the reason is asked: not one more reminder (fix9t).

    The reason follows (:func:`_exclude`); a reporter who never types it leaves them left out
    (:func:`~bot.services.incident_exclusions.leave_out_now`).
    """
    v = ctx.values
    try:
        done = incident_exclusions.leave_out_now(ctx.uow, incident_id=int(v["incident_id"]), by=ctx.bound().person_id,
                                                 person_id=int(v["leaving_out"]), now=ctx.now)
    except PermissionError:
        done = False
    if done:
        audit.record(ctx.uow, actor_id=ctx.bound().person_id, action=AuditAction.INCIDENT_EXCLUDED,
                     child_id=audit.incident_child(ctx.uow, int(v["incident_id"])), channel=ctx.channel,
                     now=ctx.now, incident=int(v["incident_id"]), person=int(v["leaving_out"]))
    return done


def _not_left_out(v: dict[str, Any]) -> Prompt:
    return say(N_("{name} could not be left out: the incident is closed or they are no longer in its chain."),
               name=_leaving_out(v))


def _exclude(ctx: Ctx, reason: str) -> list[Prompt]:
    """The reason typed: kept with the 'excluded' event made at the pick (:func:`_leave_out`)."""
    v = ctx.values
    done = incident_exclusions.record_reason(ctx.uow, incident_id=int(v["incident_id"]), by=ctx.bound().person_id,
                                             person_id=int(v["leaving_out"]), reason=reason)
    ctx.finish()
    if not done:
        return [_not_left_out(v)]
    return [say(N_("Left out: {name}. They get no further messages about this incident."), name=_leaving_out(v))]
