"""What the family link adds to ``/due``: news to review, calls to confirm, attendance, families' messages."""

from __future__ import annotations

from bot.flows import news
from bot.flows.common import Ctx
from bot.messages.prompt import Prompt
from bot.services import binding_probation, family_calls, family_seen, meetings, urgent_due

MAX_SHOWN = 5  # questions of each kind shown again; the rest wait for the next /due


def prompts(ctx: Ctx) -> list[Prompt]:
    """The family link's open work of the person asking, each with its buttons."""
    actor = ctx.bound()
    found = [p for p in (news.due_line(ctx),) if p is not None]
    calls = family_calls.waiting_for(ctx.uow, person_id=actor.person_id, school_id=actor.school_id)
    found.extend(family_calls.ask_prompt(ctx.uow, call_id) for call_id in calls[:MAX_SHOWN])
    due = meetings.attendance_due(ctx.uow, person_id=actor.person_id)
    found.extend(meetings.attendance_prompt(ctx.uow, meeting_id) for meeting_id in due[:MAX_SHOWN])
    # An urgent message's follow-ups (【紧急·补充】) are shown under it, counted: one item per emergency.
    unanswered = urgent_due.waiting(ctx.uow, teacher_id=actor.person_id)[:MAX_SHOWN]
    shown = [(i, p) for i, p in ((i, urgent_due.shown(ctx.uow, i)) for i in unanswered) if p is not None]
    found.extend(p for _i, p in shown)
    # A guardian's new account on probation: confirm after phoning them (bot.services.binding_probation).
    found.extend(binding_probation.due_prompts(ctx.uow, actor, limit=MAX_SHOWN))
    # Read here now: a copy held by the quiet hours would reach them at 07:00 as new, with a second Reply.
    family_seen.shown_in_due(ctx.uow, reader_id=actor.person_id, message_ids=[i for i, _p in shown], now=ctx.now)
    return found
