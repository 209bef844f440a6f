"""Words typed at the week's check-in that answer something else: an incident's closing notice, or thanks.

* Right after "…已结束。结果：孩子已找到。" (the closing notice, shown after the
  check-in was asked again), ``好的`` / ``收到`` / ``ok`` / ``很好`` are seeing
  the outcome, never "this week all good" (issue 6 trial): it is recorded on
  the incident's timeline, the writer is told so, and the check-in is shown
  again plainly. A bare number is not recorded either: the notice, not the
  check-in, was on screen; the check-in is shown again, and the next number answers it.
* So too right after another family member's all clear ("杨杨说杨秀云没事了…",
  :mod:`bot.services.incident_all_clear`): ``好的`` / ``嗯`` / ``ok`` see that news (``all_clear_seen`` on the
  timeline), whether the check-in is on screen, held for the child's emergency (:func:`at_held`) or nothing
  waits at all (:func:`alone`: not "no question is waiting").
* ``谢谢`` / ``谢谢老师`` / ``thanks`` at the check-in (after a closing notice or
  not) are words for a teacher, never "not one of the answers": they are passed
  on to the child's class teacher like any message (:func:`bot.flows.relay.pass_on`),
  and the check-in is asked again. After a teacher's answer they thank that
  answer instead (:mod:`bot.flows.thanks`).
* At the confirmation "是说杨秀云这周很好吗？" (:mod:`bot.flows.checkin_confirm`), ``谢谢老师`` is neither: it is
  asked again, simply (fix6v, :func:`_thanks_at_confirmation`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from bot.flows import agenda as agenda_flow
from bot.flows import relay
from bot.flows import typed as typed_answers
from bot.flows import words as everyday
from bot.flows.common import Ctx, say
from bot.messages import payloads
from bot.messages.prompt import N_, Prompt, text
from bot.services import checkin_messages, closed_notice, family_thanks

SEEN = N_("Thank you. Noted that you have seen that the incident about {child} is closed.")
SEEN_ALL_CLEAR = N_("Thank you. Noted that you have seen the news that {child} is all right.")
NUMBER_NOT_RECORDED_ALL_CLEAR = N_("That number was not recorded: the last message was the news that {child} is "
                                   "all right.")
WELCOME = N_("You're welcome. Just one answer about {child}, please:")
NUMBER_NOT_RECORDED = N_("That number was not recorded: the last message was the notice that the incident about "
                         "{child} is closed.")


def at_checkin(ctx: Ctx, top: dict[str, Any], typed: str, number: int | None) -> list[Prompt] | None:
    """Typed text at a check-in waiting that is about a closing notice, or thanks; None: handled as usual."""
    actor = ctx.actor
    if actor is None or not _is_checkin(top):
        return None
    question = replace(Prompt.from_dict(top["prompt"]), first_number=1)
    again = [Prompt(agenda_flow.STILL_WAITING), question]
    thanking = number is None and everyday.matches(ctx.locale, "thanks", typed)
    if thanking and question.message_id == checkin_messages.CONFIRM:
        return _thanks_at_confirmation(question)
    shown = closed_notice.shown_last(ctx.uow, person_id=actor.person_id, conversation_id=ctx.conv.id)
    if shown is not None:
        child = text(shown.child_name)
        if number is not None and _shown_with(top, shown):
            return None  # the notice carried the check-in (bot.services.agenda_return): it is the question seen
        if number is not None:
            return [say(NUMBER_NOT_RECORDED if shown.all_clear_by is None else NUMBER_NOT_RECORDED_ALL_CLEAR,
                        child=child), *again]
        if thanking or everyday.is_acknowledgement(ctx.locale, typed) or everyday.says_nothing(typed) \
                or typed_answers.matching(ctx, agenda_flow.offer_choices(top), typed) is not None:
            return [*_seen(ctx, shown, typed, thanking), *again]
        return None  # 孩子回来了, 在哪找到的: words for the teacher, handled as any
    if not thanking or family_thanks.answer_shown_last(ctx.uow, person_id=actor.person_id,
                                                        conversation_id=ctx.conv.id) is not None:
        return None
    passed_on = relay.pass_on(ctx, typed.strip())
    if passed_on is None or ctx.conv.flow == relay.FLOW:
        return passed_on  # (asking which child first: that question is the one shown)
    return [*passed_on, *again]


def _thanks_at_confirmation(question: Prompt) -> list[Prompt]:
    """``谢谢老师`` at "是说杨秀云这周很好吗？": a polite acknowledgment, and the week question asked again, simply.

    Not taken as yes: the question was asked because the person's ``好的`` did not say how the week was, and
    thanks say it no better — recorded as "good", a week nobody described would reach the teacher as fine (what
    fix6q stopped for ``好的``). Not passed on as a message either: the words carry nothing for the teacher, and
    the question would read as answered while it still waits (a breaker's trial, fix6v). The confirmation
    answered the ``好的`` before it only (fix6t): what is asked again is the week question, its answers plain.
    """
    return [say(WELCOME, child=question.params.get("child", text(""))),
            checkin_messages.week_question_again(question)]


def at_held(ctx: Ctx, top: dict[str, Any], typed: str, number: int | None) -> list[Prompt] | None:
    """``好的`` / ``谢谢`` to an all clear while the check-in about the child is held for its open emergency.

    The hold stays (the incident is open; :mod:`bot.flows.checkin_hold`) and nothing is recorded for the week,
    but the words see the all clear rather than "not recorded as an answer about the week". None: a number
    (the hold says it is not recorded), other words, or no all clear shown last.
    """
    if ctx.actor is None or number is not None or not top.get("held") or top.get("held_child") is None:
        return None
    thanking = everyday.matches(ctx.locale, "thanks", typed)
    if not (thanking or everyday.is_acknowledgement(ctx.locale, typed) or everyday.says_nothing(typed)
            or typed_answers.matching(ctx, agenda_flow.offer_choices(top), typed) is not None):
        return None
    shown = closed_notice.shown_last(ctx.uow, person_id=ctx.actor.person_id, conversation_id=ctx.conv.id)
    return _seen(ctx, shown, typed, thanking) if shown is not None else None


def alone(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """``好的`` / ``嗯`` / ``ok`` with no question waiting, right after a closing notice or an all clear: seen.

    None when the words are no everyday acknowledgement or neither notice was shown last (handled as usual:
    "no question is waiting", or passed on).
    """
    if ctx.actor is None or not (everyday.is_acknowledgement(ctx.locale, typed) or everyday.says_nothing(typed)):
        return None
    shown = closed_notice.shown_last(ctx.uow, person_id=ctx.actor.person_id, conversation_id=ctx.conv.id)
    return _seen(ctx, shown, typed, thanking=False) if shown is not None else None


def _seen(ctx: Ctx, shown: closed_notice.ClosedShown, typed: str, thanking: bool) -> list[Prompt]:
    """Record that the notice was seen; say so (and pass thanks on to the child's class teacher)."""
    closed_notice.record_seen(ctx.uow, shown, person_id=ctx.bound().person_id, now=ctx.now)
    passed = [relay.about_child(ctx, shown.child_id, typed.strip())] if thanking else []
    return [say(SEEN if shown.all_clear_by is None else SEEN_ALL_CLEAR, child=text(shown.child_name)), *passed]


def _shown_with(top: dict[str, Any], shown: closed_notice.ClosedShown) -> bool:
    """Whether the check-in was shown with the closing notice or after it (one question at a time: it is current)."""
    if shown.sent_at is None or not top.get("at"):
        return False
    return _utc(datetime.fromisoformat(top["at"])) >= _utc(shown.sent_at)


def _utc(moment: datetime) -> datetime:
    return (moment.astimezone(UTC) if moment.tzinfo else moment).replace(tzinfo=None)


def _is_checkin(top: dict[str, Any]) -> bool:
    return any(isinstance(payloads.decode(p), payloads.CheckinPress) for p in top.get("payloads") or ())
