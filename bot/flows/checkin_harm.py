"""A child hurt by someone, or sick with no way to a doctor, told at the check-in: "needs help", the words urgent.

``孩子被打了`` typed at "how is 杨秀云 this week?" was "needs help" followed by "what kind of help?", the
words an ordinary message (a new-user trial). Such words (:class:`~bot.domain.emergency_words.EmergencyKind`
``HARM``) go to the class teacher as 【紧急】 first (:mod:`bot.flows.emergency`); this module then answers the
check-in of the child they are about: "needs help" (the helper teacher is asked to call at once), the words kept
as its note, and no question about the kind of help — the family was told what to do now and who phones them.
Other emergencies (``孩子发高烧抽筋了``) hold the check-in back instead (:func:`bot.flows.agenda.held_back`).
"""

from __future__ import annotations

from bot.domain.enums import CheckinAnswer
from bot.flows import agenda as agenda_flow
from bot.flows import checkin
from bot.flows.common import Ctx
from bot.messages import payloads
from bot.messages.prompt import Prompt
from bot.services.family_notes import checkin_child


def needs_help_payload(ctx: Ctx, child_ids: list[int]) -> str | None:
    """The Needs help choice of the check-in shown now, when it is about one of ``child_ids``; else None."""
    top = agenda_flow.current(ctx)
    if top is None or top.get("kind") != "offer" or top.get("held"):
        return None
    for choice in agenda_flow.offer_choices(top):
        pressed = payloads.decode(choice.payload)
        if (isinstance(pressed, payloads.CheckinPress) and pressed.answer == CheckinAnswer.NEEDS_HELP.value
                and checkin_child(ctx.uow, pressed.checkin_id) in child_ids):
            return choice.payload
    return None


def record(ctx: Ctx, child_ids: list[int], words: str) -> list[Prompt] | None:
    """Record "needs help" on the check-in shown about one of ``child_ids``, ``words`` its note; None: none shown.

    Returns what the guardian is told of the answer (recorded, the helper teacher told); the follow-up ends.
    """
    payload = needs_help_payload(ctx, child_ids)
    pressed = payloads.decode(payload) if payload is not None else None
    if payload is None or not isinstance(pressed, payloads.CheckinPress):
        return None
    agenda_flow.answered(ctx, payload)
    recorded = checkin.on_answer(ctx, pressed.checkin_id, pressed.answer)
    if ctx.conv.flow != checkin.FLOW:  # not recorded (already answered, no longer their child): said so
        return recorded
    ended = checkin.keep_emergency_note(ctx, words)
    return [*recorded[:-1], *([ended] if ended is not None else [])]  # no "what kind of help?"
