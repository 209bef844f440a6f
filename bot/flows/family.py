"""The family link's flows and buttons (issue 8, items 4–7), as the runner sees them.

One place registers them, so the runner needs one line per kind of thing:
its flows (:data:`FAMILY_FLOWS`), its commands (:data:`FAMILY_COMMANDS`) and
its buttons (:data:`FAMILY_BUTTONS`, for ``payloads.FAMILY_PAYLOADS``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.flows import agenda as agenda_flow
from bot.flows import (
    agenda_held,
    alert_which,
    all_clear_pick,
    call_changes,
    calls,
    checkin,
    checkin_all,
    checkin_confirm,
    checkin_hold,
    checkin_lead,
    checkin_mild,
    checkin_mixed,
    checkin_named,
    checkin_sound,
    checkin_which,
    checkin_words,
    checkin_worry,
    closed_seen,
    commands,
    family_notes,
    letters,
    meeting_changes,
    meetings,
    misplaced,
    news,
    night_hold,
    relay,
    relay_unanswered,
    to_teacher,
    urgent_ack,
)
from bot.flows import typed as typed_answers
from bot.flows.common import ButtonHandler, Ctx
from bot.messages import payloads
from bot.messages.prompt import Prompt

FAMILY_FLOWS: dict[str, Any] = {news.FLOW: news, calls.FLOW: calls, calls.LOG_FLOW: calls, meetings.FLOW: meetings,
                         meetings.ATTENDANCE_FLOW: meetings, letters.FLOW: letters, letters.REPLY_FLOW: letters,
                         meeting_changes.FLOW: meeting_changes, call_changes.FLOW: call_changes,
                         misplaced.FLOW: misplaced, all_clear_pick.FLOW: all_clear_pick, alert_which.FLOW: alert_which,
                         checkin_which.FLOW: checkin_which, to_teacher.FLOW: to_teacher}
"""Flow name → module (``on_choice`` / ``on_text``)."""

FAMILY_COMMANDS: dict[str, Callable[[Ctx, str], list[Prompt]]] = {"news": news.start, "call": calls.start,
                                                            "meeting": meetings.start}
"""Command name (``bot.flows.commands.COMMANDS`` value) → handler."""

FAMILY_BUTTONS: dict[type, ButtonHandler] = {
    payloads.NewsReview: news.on_button, payloads.CallDecision: calls.on_decision,
    payloads.CallLog: calls.on_log_button, payloads.MeetingReply: meetings.on_reply,
    payloads.MeetingAttendance: meetings.on_attendance, payloads.LetterReplyStart: letters.on_reply_button}
"""Family-link button payload type → flow step (``bot.flows.common.on_pressed``)."""


def on_family_media(ctx: Ctx, media: tuple[tuple[str, str], ...], caption: str | None) -> list[Prompt]:
    """Photos or a voice message (letters and replies to them); a chat not yet bound must bind first."""
    if ctx.actor is None:
        return [commands.bind_first(ctx)]
    return letters.on_media(ctx, media, caption)


def on_family_offer_text(ctx: Ctx, top: dict[str, Any], typed: str) -> list[Prompt] | None:
    """Typed text at a family question shown outside a flow that takes more than its choices; None: not one.

    The "Please record who came" notice takes the count itself (``5``, ``5人``,
    ``五个``); its own answer (``1``, its words) still opens the list of invitees.
    """
    choices = agenda_flow.offer_choices(top)
    number = typed_answers.number(typed)
    seen = closed_seen.at_held(ctx, top, typed, number)  # 好的 to "杨杨说杨秀云没事了" while the check-in is held
    if seen is not None:
        return seen
    night = night_hold.at_night(ctx, top, typed, number)  # closed at night: the check-in waits for the morning
    if night is not None:
        return night
    waits = checkin_hold.still_held(ctx, top, typed, number)  # the child's emergency is open: nothing recorded
    if waits is not None:
        return waits or _held_words(ctx, int(top["held_child"]), typed.strip())
    held = agenda_held.unheld(ctx, top, typed, number)  # a check-in held back under an emergency answer
    if held is not None:
        return held
    closing = closed_seen.at_checkin(ctx, top, typed, number)  # 好的 to "已结束：孩子已找到", 谢谢老师
    if closing is not None:
        return closing
    mixed = checkin_mixed.at_checkin(ctx, Prompt.from_dict(top["prompt"]), choices, typed)  # 刘帅发烧了，婷婷还好
    if mixed is not None:
        return mixed
    mild = checkin_mild.at_checkin(ctx, choices, typed)  # 挺好的就是有点咳嗽: "so-so", the words its note
    if mild is not None:
        return mild
    worry = checkin_worry.at_checkin(ctx, choices, typed)  # 孩子病了: "needs help", before 好 or 好的 are read
    if worry is not None:
        return worry
    unclear = checkin_confirm.at_checkin(ctx, choices, typed)  # 好的 / ok / 收到: "是说杨秀云这周很好吗？"
    if unclear is not None:
        return unclear
    if (number is not None and 1 <= number <= len(choices)) or typed_answers.matching(ctx, choices, typed):
        return None
    seen = urgent_ack.on_text(ctx, top, typed)  # 收到 at a family's URGENT message: taken on, the chain stops
    if seen is not None:
        return seen
    if number is None and (each := checkin_all.answered(ctx, typed)) is not None:  # 两个孩子都很好
        return each
    if number is None and (heard := checkin_sound.at_checkin(ctx, choices, typed)) is not None:  # 很号: 很好
        return heard
    if number is None and (named := checkin_named.named_answer(ctx, typed)) is not None:  # 婷婷很好
        return checkin.on_answer(ctx, named.checkin_id, named.answer)
    if number is None and (said := checkin_words.everyday_answer(ctx, choices, typed)) is not None:  # 都很好
        return said
    if number is None and (led := checkin_lead.at_checkin(ctx, choices, typed)) is not None:  # 很好 谢谢老师
        return led
    for choice in choices:
        pressed = payloads.decode(choice.payload)
        if isinstance(pressed, payloads.MeetingAttendance):
            answer = meetings.on_typed_count(ctx, pressed.meeting_id, typed)
            if answer is not None:
                agenda_flow.drop_answered(ctx, choice.payload)
            return answer
    return None


def _held_words(ctx: Ctx, held_child: int, typed: str) -> list[Prompt]:
    """Words while a check-in is held for ``held_child``'s open incident: to those handling it — unless about another.

    李雪 acknowledged the alert about 刘帅 (reported by 王老师 of another class); her ``婷婷咳嗽三天了`` is about
    刘婷婷, and went to 王老师 as a reply on 刘帅's incident: the wrong child, and her sister's words outside her
    circle (fix6as). Words naming another of her children (by name or home nickname) take that child's path, as
    with no question waiting (:func:`bot.flows.relay_unanswered.unanswered`: a correction of her check-in answered
    lately, else her class teacher); words naming the incident's child or no child stay with the incident.
    """
    named = family_notes.named(ctx, typed, relay.writes_about(ctx))
    if named is not None and named.id != held_child:
        routed = relay_unanswered.unanswered(ctx, typed)
        if routed:
            return routed
    return [relay.about_child(ctx, held_child, typed)]
