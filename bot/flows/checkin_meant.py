"""A check-in answer word at the note question while another child's check-in waits: meant for him? (fix6x).

李雪 answers "how is 刘婷婷 this week?" with ``good`` and is asked "anything to tell 刘婷婷's teacher?"; 刘帅's
question is queued behind it, not yet asked. Her next ``so-so`` was kept as a note about 刘婷婷. An exact answer
word (``good``, ``so-so``, ``needs help``, ``很好``, ``一般``, ``需要帮助``, the catalogs' words for the answers)
at the note question, while another child's check-in waits in the chat, is no note taken on a guess: she is asked
whether it was meant for that child, by name. Yes records it as his answer; No keeps it as the note.
"""

from __future__ import annotations

from typing import Any

from bot.flows import agenda as agenda_flow
from bot.flows import family_notes
from bot.flows import words as everyday
from bot.flows.common import Ctx, Option
from bot.messages import payloads
from bot.messages.prompt import N_, text
from bot.services.checkin_messages import ANSWER_LABELS
from bot.services.family_notes import checkin_child

MEANT = N_("Was “{word}” meant for {other}? The question about how {other} is this week is still waiting.")
YES_VALUE = "meant_yes"
NO_VALUE = "meant_no"


def answer_word(ctx: Ctx, typed: str) -> str | None:
    """The check-in answer (``CheckinAnswer`` value) ``typed`` is exactly, through its everyday words; else None."""
    return next((a for a, label in ANSWER_LABELS.items() if everyday.label_matches(ctx.locale, label, typed)), None)


def other_waiting(ctx: Ctx, typed: str, own_checkin_id: int) -> dict[str, Any] | None:
    """Another child's check-in waiting in this chat that ``typed`` answers exactly, as values to keep; else None.

    Returns:
        ``{"word", "payload", "other"}``: the words typed, the answer's payload on the other check-in, the
        other child's name.
    """
    answer = answer_word(ctx, typed)
    if answer is None:
        return None
    own = checkin_child(ctx.uow, own_checkin_id)
    names = {c.id: c.name for c in family_notes.children(ctx)}
    for entry in ctx.conv.agenda:
        if entry.get("kind") != "offer":
            continue
        for choice in agenda_flow.offer_choices(entry):
            pressed = payloads.decode(choice.payload)
            if not isinstance(pressed, payloads.CheckinPress) or pressed.answer != answer:
                continue
            child = checkin_child(ctx.uow, pressed.checkin_id)
            if child is not None and child != own and child in names:
                return {"word": typed.strip(), "payload": choice.payload, "other": names[child]}
    return None


def options(other: str, child: str) -> tuple[Option, Option]:
    """"Yes, for 刘帅" and "No, a note about 刘婷婷"."""
    return (Option(N_("Yes, for {name}"), YES_VALUE, {"name": text(other)}),
            Option(N_("No, it is a note about {name}"), NO_VALUE, {"name": text(child)}))


def picked_payload(ctx: Ctx, meant: dict[str, Any]) -> payloads.CheckinPress | None:
    """The other check-in's answer, when it still waits (taken off the chat's agenda); else None."""
    payload = str(meant.get("payload") or "")
    pressed = payloads.decode(payload)
    waiting = any(payload in (c.payload for c in agenda_flow.offer_choices(e))
                  for e in ctx.conv.agenda if e.get("kind") == "offer")
    if not waiting or not isinstance(pressed, payloads.CheckinPress):
        return None
    agenda_flow.answered(ctx, payload)
    return pressed
