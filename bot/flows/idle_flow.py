"""Questions held behind a flow left unanswered come through once it has idled (fix6ac, issue 6 item 1).

王老师 began ``/talk 杨秀云`` at 10:00 and was called away; at 10:05 张强's message came without numbers, held
behind the talk (it was in progress then). fix6w kept it so however long: a busy teacher who forgot the talk never
saw his message numbered, with its Reply, until she finished the talk — days, maybe. Now, once the flow has had no
answer for :data:`bot.domain.agenda.TALK_IDLE`, the scheduler's tick (the database's clock) sends the first
question held behind it again through the outbox, BULK: the quiet hours are kept, and the chat's agenda changes
only when it is delivered (:func:`bot.services.conversations.present` shows it over the idle flow, numbered, with
the line saying the talk is set aside, kept, and how to go back to it). The talk stays on ``/due``.
"""

from __future__ import annotations

from typing import Any

from bot.domain import agenda
from bot.domain.enums import Priority
from bot.flows.common import Ctx
from bot.messages.prompt import Prompt
from bot.services.outbox import enqueue


def held(ctx: Ctx) -> dict[str, Any] | None:
    """The first question held behind this chat's idle flow, or None (no flow on top, not idle, nothing held)."""
    items = agenda.tidy(ctx.conv.agenda, ctx.now)
    top = agenda.current(items)
    if not ctx.conv.flow or top is None or top.get("kind") != "flow" or not agenda.is_stale(top, ctx.now):
        return None
    waiting = agenda.next_up([e for e in items[1:] if e.get("kind") == "offer" and e.get("queued")
                              and e.get("required") and not e.get("held")])
    return waiting[0] if waiting else None


def bring(ctx: Ctx) -> int:
    """Send the question held behind the idle flow again (once per question: keyed by it). Returns messages queued."""
    entry = held(ctx)
    if entry is None:
        return 0
    enqueue(ctx.uow.session, key=f"idle_flow:{ctx.conv.id}:{entry['key']}:{entry['at']}",
            person_id=ctx.bound().person_id, prompt=Prompt.from_dict(entry["prompt"]), priority=Priority.BULK,
            now=ctx.now, to_channel=ctx.channel, to_account=ctx.account_id)
    return 1
