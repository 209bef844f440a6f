"""A family member changes their mind in words, a little after answering (issue 6 trial, item 1).

* ``不去了``, ``去不了``, ``不能参加`` (the other option's label or its
  everyday words) a while after answering a meeting invitation "I will come"
  change the answer, and the other way round (``能去``, ``会来``, ``参加``);
  the person is told the answer now recorded.
* ``改一下``, ``修改``, ``不对`` a while after answering a check-in ask the
  week's question again (:func:`bot.flows.checkin.reopen`).

* ``能去``, ``不去了`` (the invitation's own labels or its "come" / "cannot
  come" words, never a bare yes or no) while the one invitation not yet answered
  waits behind the question shown (a check-in): those words can answer nothing
  else, so they answer the invitation, the meeting is named in the reply, and the
  question shown is asked again (:func:`answers_invitation`).

The relay (:func:`bot.flows.relay_unanswered.unanswered`) asks here first, so such words
never reach the teacher as a message that names no question.
"""

from __future__ import annotations

import logging

from bot.flows import checkin, checkin_amend, checkin_correct
from bot.flows import words as everyday
from bot.flows.common import Ctx, say
from bot.flows.typed import fold
from bot.i18n import render
from bot.messages import payloads
from bot.messages.prompt import N_, Prompt, msg
from bot.services import checkin_changes, meetings
from bot.services import meeting_changes as changes
from bot.services.meetings import REPLY_LABELS, reply_choices

log = logging.getLogger(__name__)
NOW_COMING = N_("Changed: you will come to the {kind}, {when}, at {place}. Thank you!")
NOW_NOT_COMING = N_("Changed: you cannot come to the {kind} of {when}. Thank you for letting us know.")
QUEUED_COMING = N_("Your answer to the {kind} of {when} is recorded: you will come (at {place}). Thank you!")
QUEUED_NOT_COMING = N_("Your answer to the {kind} of {when} is recorded: you cannot come. Thank you for letting us "
                       "know.")
STANDS = N_("Your answer to the {kind} of {when} is already recorded: {reply}.")


def changes_mind(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """The answer to a meeting invitation changed, or a check-in asked again; None: ``typed`` is neither."""
    actor = ctx.actor
    if actor is None:
        return None
    rsvp = changes.recent_reply(ctx.uow, person_id=actor.person_id, now=ctx.now)
    if rsvp is not None:
        answer = _rsvp_words(ctx, rsvp[0], typed)
        if answer is not None:
            return [_rsvp(ctx, rsvp[0], rsvp[1], answer)]
    fixed = checkin_correct.corrected(ctx, typed)  # 婷婷很好，帅帅有点咳嗽 after 都挺好的: 刘帅 so-so (fix6aj)
    if fixed is not None:
        return fixed
    answered = checkin_changes.recent_answer(ctx.uow, guardian_id=actor.person_id, now=ctx.now)
    amended = checkin_amend.after(ctx, answered, typed) if answered is not None else None
    if amended is not None:  # 不对，是一般 after the follow-up ended: changed, and said so (fix6ak)
        return amended
    if answered is not None and everyday.matches(ctx.locale, "change", typed):
        return checkin.reopen(ctx, answered.checkin_id, answered.child_name, answered.answer)
    return None


def answers_invitation(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """``能去`` / ``不去了`` while an invitation waits behind the question shown: its answer; None: not that.

    Only when exactly one invitation waits unanswered in the chat, and only its labels and the words that
    say "come" or "cannot come": ``好``, ``是`` may be meant for the question shown.
    """
    invitations = [(entry, pressed.meeting_id) for entry in ctx.conv.agenda[1:] for raw in entry.get("payloads") or ()
                   if isinstance(pressed := payloads.decode(raw), payloads.MeetingReply) and pressed.yes]
    if ctx.actor is None or len(invitations) != 1:
        return None
    entry, meeting_id = invitations[0]
    yes = _rsvp_words(ctx, meeting_id, typed, plain=True)
    if yes is None or not meetings.reply(ctx.uow, meeting_id=meeting_id, person_id=ctx.actor.person_id, yes=yes,
                                         now=ctx.now):
        return None
    ctx.conv.agenda = [e for e in ctx.conv.agenda if e["key"] != entry["key"]]
    log.info("person %s answered meeting %s in words while another question was shown", ctx.actor.person_id,
             meeting_id)
    return [say(QUEUED_COMING if yes else QUEUED_NOT_COMING, **meetings.about(ctx.uow, meeting_id))]


def _rsvp_words(ctx: Ctx, meeting_id: int, typed: str, *, plain: bool = False) -> bool | None:
    """True for "I will come" in words, False for "I cannot come", None for neither.

    Only the option's own label and the words that clearly say it: ``好的``
    after "I cannot come" is an acknowledgement, not a change of mind.
    ``plain``: the meeting words only, not a bare "no" (``不是``, ``不``).
    """
    yes_choice, no_choice = reply_choices(meeting_id)
    want = fold(typed)
    if want == fold(render(Prompt(no_choice.label), ctx.locale, ctx.timezone).text) or any(
            everyday.matches(ctx.locale, kind, typed) for kind in ("cannot_come", *(() if plain else ("no",)))):
        return False
    if want == fold(render(Prompt(yes_choice.label), ctx.locale, ctx.timezone).text) or everyday.matches(
            ctx.locale, "come", typed):
        return True
    return None


def _rsvp(ctx: Ctx, meeting_id: int, reply: str, yes: bool) -> Prompt:
    about = meetings.about(ctx.uow, meeting_id)
    if (reply == "yes") == yes:
        return say(STANDS, **about, reply=msg(REPLY_LABELS[reply]))
    if not meetings.reply(ctx.uow, meeting_id=meeting_id, person_id=ctx.bound().person_id, yes=yes, now=ctx.now):
        return say(changes.GONE_FOR_INVITEE)
    log.info("person %s changed their answer to meeting %s", ctx.bound().person_id, meeting_id)
    return say(NOW_COMING if yes else NOW_NOT_COMING, **about)
