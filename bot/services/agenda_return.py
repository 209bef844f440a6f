"""The question an incident alert held back comes back with the notice that ends it (issue 6, conv6l e).

A grandmother's Friday check-in arrived while the alert about 刘帅 was on
her screen, so it was held back ("please first answer the question above").
Then the teacher closed the incident: the close notice reaches her, and a
grandparent expects the check-in right there, not only after she writes
something. So a notice sent to a chat whose current question is an alert no
longer open (closed, or acknowledged elsewhere) drops that alert from the
agenda and carries the next open question waiting under it, with its choices,
which becomes the chat's current question. Flows set aside are left to the
flow runner (they come back on the person's next message, as before).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import select

from bot.domain import agenda
from bot.domain.enums import Priority
from bot.messages import payloads
from bot.messages.prompt import N_, Prompt, PromptKind, text
from bot.services import agenda_checks, checkin_messages, incident_open
from bot.services.outbox import enqueue
from bot.services.ports import UnitOfWork
from bot.store.models import ChatAccount

STILL_WAITING = N_("Still waiting for your answer:")  # as bot.flows.agenda says it
AFTER_THE_NIGHT = N_("The weekly question is not asked at night: I will ask it again in the morning.")
MORNING = N_("Good morning. The weekly question about {name}, which waited for the incident, can be answered now.")
"""Sent when the quiet hours end after a close at night: the held check-in comes with it (fix6u, a breaker)."""


def _is_alert(entry: agenda.Entry) -> bool:
    return entry.get("kind") == "offer" and any(
        isinstance(payloads.decode(p), payloads.IncidentAck) for p in entry.get("payloads") or ())


def after_notice(uow: UnitOfWork, items: list[agenda.Entry], *, channel: str, account_id: str,
                 prompt: Prompt, now: datetime, quiet: bool = False) -> tuple[list[agenda.Entry], Prompt]:
    """The agenda and the notice to send: with the next open question added when a closed alert was current.

    Args:
        uow: the delivery's unit of work.
        items: the chat's agenda (tidied).
        channel: the chat's channel.
        account_id: the chat's account.
        prompt: the notice (no choices).
        now: UTC now.
        quiet: the notice goes out in the recipient's quiet hours: a held check-in is not asked at 22:00; it stays
            held, and so does a held note question, until a morning notice brings it back (fix6u, fix6ab).

    Returns:
        ``items`` and ``prompt`` unchanged unless the current question is an alert no longer open and an
        open question waits behind it; then the agenda with that question current, and the notice with
        "Still waiting for your answer:" and the question (its choices numbered from 1) appended.
    """
    items = checkin_messages.week_questions_back(items)  # never "是说…很好吗？" back: the week question (fix6t)
    top = agenda.current(items)
    reader = uow.session.scalar(select(ChatAccount.person_id).where(
        ChatAccount.channel == channel, ChatAccount.account_id == account_id).limit(1))
    if top is not None and top.get("held_child") is not None and top.get("kind") == "saved":
        return _note_back(uow, items, prompt, quiet=quiet, channel=channel, account_id=account_id, now=now,
                          reader=reader)
    if top is not None and top.get("held_child") is not None:
        # A check-in held while the child's emergency was open (bot.flows.checkin_hold): that incident just
        # closed, so the check-in comes back with its close notice, at once, not on the next message (conv6l).
        # Only an incident the reader may know of keeps it held (fix9z: never a safeguarding report's family).
        if top.get("kind") != "offer" or incident_open.open_emergency(uow, int(top["held_child"]), reader_id=reader):
            return items, prompt
        if quiet:  # no "1. 很好" at night: it comes back when the quiet hours end, never pushed before (fix6u)
            _morning(uow, top, channel=channel, account_id=account_id, now=now)
            return items, replace(prompt, lines=(*prompt.lines, (AFTER_THE_NIGHT, {})))
        shown = agenda.touch({k: v for k, v in top.items() if k not in ("held", "held_child")}, now)
        return [shown, *items[1:]], _with_question(prompt, Prompt.from_dict(top["prompt"]))
    if top is None or not _is_alert(top):
        return items, prompt
    person = reader
    if agenda_checks.is_open(uow, person_id=person, choice_payloads=list(top.get("payloads") or ())):
        return items, prompt
    rest = agenda.remove(items, top["key"])
    while rest:
        rest = agenda.next_up(rest)
        following = rest[0]
        if following.get("kind") != "offer":
            return rest, prompt  # a flow set aside: the runner asks it on the next message
        if agenda_checks.is_open(uow, person_id=person, choice_payloads=list(following.get("payloads") or ())):
            shown = agenda.touch(following, now)
            return [shown, *rest[1:]], _with_question(prompt, Prompt.from_dict(following["prompt"]))
        rest = rest[1:]
    return rest, prompt


def _morning(uow: UnitOfWork, top: agenda.Entry, *, channel: str, account_id: str, now: datetime) -> None:
    """A notice for when the quiet hours end, carrying the check-in held at night back (:func:`after_notice`).

    A bulk row: the outbox holds it until the quiet hours end (``bot.services.outbox_claims``). Meanwhile the
    check-in stays held, so the person's own messages at night do not bring it back (``bot.flows.night_hold``).
    """
    checkin_id = next((p.checkin_id for p in map(payloads.decode, top.get("payloads") or ())
                       if isinstance(p, payloads.CheckinPress)), None)
    child = incident_open.checkin_child(uow, checkin_id) if checkin_id is not None else None
    if child is not None:
        _enqueue_morning(uow, f"checkin:{checkin_id}:back:{channel}:{account_id}", Prompt(
            MORNING, {"name": text(child[1])}, kind=PromptKind.NOTICE), channel=channel, account_id=account_id,
            now=now)


def _enqueue_morning(uow: UnitOfWork, key: str, notice: Prompt, *, channel: str, account_id: str,
                     now: datetime) -> None:
    """``notice`` as a bulk row for this chat: the outbox holds it until the quiet hours end."""
    person = uow.session.scalar(select(ChatAccount.person_id).where(
        ChatAccount.channel == channel, ChatAccount.account_id == account_id).limit(1))
    if person is not None:
        enqueue(uow.session, key=key, person_id=person, prompt=notice, priority=Priority.BULK, now=now,
                to_channel=channel, to_account=account_id)


NOTE_AGAIN = N_("Anything you would like to tell {child}'s teacher? Write a few words, or choose Skip.")
"""The check-in's note question (``bot.flows.checkin``, state ``note``), as that flow asks it."""
QUESTION_AFTER_THE_NIGHT = N_("My question about {name} is not asked at night: I will ask it again in the morning.")
MORNING_QUESTION = N_("Good morning. My question about {name}, which waited for the incident, can be answered now.")
"""The note question / "what kind of help?" held at a night close: said, and its morning notice (fix6ab)."""
HELP_KIND_AGAIN = N_("What kind of help does {child} need?")
"""Its "what kind of help?" question (state ``help_kind``), as that flow asks it."""


def _note_back(uow: UnitOfWork, items: list[agenda.Entry], prompt: Prompt, *, quiet: bool, channel: str,
               account_id: str, now: datetime, reader: int | None) -> tuple[list[agenda.Entry], Prompt]:
    """A check-in's note question held for the child's emergency (``bot.flows.note_hold``) comes back with its close.

    Its hold said "will wait until the incident … is closed", yet the close notice said nothing of it and the
    next ``好的`` (seeing the notice) skipped the note unseen (fix6t, a breaker's trial). The flow itself runs
    again on the next message (the hold is lifted here); the notice names the question and the child.
    """
    top = items[0]
    checkin_id = int(((top.get("data") or {}).get("v") or {}).get("checkin_id", 0))
    child = incident_open.checkin_child(uow, checkin_id)
    if child is None or incident_open.open_emergency(uow, int(top["held_child"]), reader_id=reader):
        return items, prompt
    if quiet:  # closed at night: it waits for the morning, as the check-in does (fix6u), never the next message
        _enqueue_morning(uow, f"checkin:{checkin_id}:note-back:{channel}:{account_id}", Prompt(
            MORNING_QUESTION, {"name": text(child[1])}, kind=PromptKind.NOTICE), channel=channel,
            account_id=account_id, now=now)
        return items, replace(prompt, lines=(*prompt.lines, (QUESTION_AFTER_THE_NIGHT, {"name": text(child[1])})))
    lifted = {k: v for k, v in top.items() if k not in ("held", "held_child")}
    again = HELP_KIND_AGAIN if top.get("state") == "help_kind" else NOTE_AGAIN  # held too (bot.flows.note_hold)
    return [lifted, *items[1:]], replace(prompt, lines=(*prompt.lines, (STILL_WAITING, {}),
                                                        (again, {"child": text(child[1])})))


def _with_question(prompt: Prompt, question: Prompt) -> Prompt:
    """The notice with "Still waiting for your answer:" and the question (its choices numbered from 1) appended."""
    return replace(prompt, lines=(*prompt.lines, (STILL_WAITING, {}), (question.message_id, question.params),
                                  *question.lines), choices=question.choices, first_number=1)
