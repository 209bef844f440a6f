"""A "which child?" nobody answers: after :data:`WAIT` her words go to the class teacher(s) anyway (fix6w).

李雪 (刘婷婷 and 刘帅) writes ``孩子发烧两天了`` at the Friday check-in and is asked which child
(:mod:`bot.flows.checkin_which`). A grandmother often puts the phone down then. Before, her words waited in
the chat's state until she wrote again — days, maybe — where no teacher read them. Now the scheduler's tick
(with the database's clock: the question's ``asked`` time is stored with it) passes them on once the question
has waited :data:`WAIT`, exactly as when she moves on by writing something else: one message to each class
teacher naming her children (one teacher when both children are in the same class), nothing recorded on a
check-in by guess. She is told, and the check-in still waiting is asked again, numbered, under it.

Why 30 minutes: long enough to find her glasses or ask the child, short enough that a class teacher reads of a
sick child the same afternoon and can still phone before school ends; the incident chain's first emergency step
is due within 30 minutes too (``bot.domain.escalation``), so worry words never wait longer than an alert would.

Not at night (fix6ac): in the quiet hours (``settings.quiet_start`` – ``quiet_end``, school time) the question stays
hers until they end, and her words go with the teachers' morning, like every other non-urgent notice. Passed on at
22:20, they were held by the outbox until 07:00 while the chat had already moved on unseen: her ``1`` at 06:30 for
"刘婷婷" on her screen then answered 刘婷婷's check-in "很好". Emergency words never wait here: typed, they go at
once as 【紧急】 (:mod:`bot.flows.emergency`), and words held here that speak of one are passed on whatever the hour.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.domain.emergency_words import is_emergency
from bot.domain.enums import Priority
from bot.domain.periods import in_quiet_hours
from bot.flows import agenda as agenda_flow
from bot.flows import checkin_elsewhere, checkin_which, relay
from bot.flows.common import Ctx
from bot.messages.prompt import N_, Prompt, text
from bot.services import family_messages
from bot.services.outbox import enqueue

WAIT = timedelta(minutes=30)
NOT_ANSWERED = N_("You did not tell me which child “{words}” is about, so I have passed your words on as they are.")


FLOWS = ((checkin_which.FLOW, checkin_which.STATE), (relay.FLOW, relay.State.PICK_CHILD.value),
         (checkin_elsewhere.FLOW, checkin_elsewhere.ABOUT))
"""The flows and states whose "which child?" holds a family's words (the accounts the tick looks over)."""


def _holds_words(ctx: Ctx) -> bool:
    """Whether the chat's question is a "which child?" holding a family's own words.

    At a check-in (:mod:`bot.flows.checkin_which`), or outside one when her children have different class
    teachers (:mod:`bot.flows.relay`). A caring-parent volunteer asked about his 21 paired children is not: his
    words about one of them must not reach the teachers of all 21, so they wait for the name he types.
    """
    if ctx.conv.flow == checkin_which.FLOW or (ctx.conv.flow, ctx.conv.state) == (checkin_elsewhere.FLOW,
                                                                                  checkin_elsewhere.ABOUT):
        return True  # (at a check-in's note while another child's incident is open: bot.flows.checkin_elsewhere)
    return (ctx.conv.flow == relay.FLOW and ctx.conv.state == relay.State.PICK_CHILD
            and bool(family_messages.family_children(ctx.uow, ctx.bound().person_id)))


def due(ctx: Ctx) -> bool:
    """Whether this chat's "which child?" has waited :data:`WAIT` (since ``asked``, stored with the question).

    In the quiet hours only words that speak of an emergency are due: the others wait for the morning (see the
    module), and are passed on by the first tick after the quiet hours end.
    """
    if not _holds_words(ctx):
        return False
    values = ctx.conv.data.get("v") or {}
    raw = values.get("asked")
    if not isinstance(raw, str):
        return False  # asked before the time was kept: her next message passes the words on (checkin_which)
    if datetime.fromisoformat(raw) > ctx.now - WAIT:
        return False
    night = in_quiet_hours(ctx.now, ctx.timezone, ctx.settings.quiet_start, ctx.settings.quiet_end)
    return not night or is_emergency(str(values.get("body") or values.get("words") or ""))


def pass_on(ctx: Ctx) -> int:
    """Pass her words on and tell her (through the outbox: no message of hers to answer). Returns messages queued.

    The caller checked :func:`due`, holds the chat's lock and saves the conversation.
    """
    top_before = agenda_flow.begin(ctx)
    if ctx.conv.flow == checkin_elsewhere.FLOW:  # words about an open incident, maybe: its handlers read them too
        words = str(ctx.values.get("body") or "")
        told = checkin_elsewhere.leave(ctx)
    elif ctx.conv.flow == relay.FLOW:
        words = str(ctx.values.get("body") or "")
        media = tuple((str(k), str(r)) for k, r in ctx.values.get("media") or ())
        ctx.finish()
        told = relay.to_every_reader(ctx, words, media, plain=True)
    else:  # as checkin_which.leave, but plain: an alert that came meanwhile is no reply to it (fix6aa)
        words = str(ctx.values.get("words") or "")
        ctx.finish()
        told = relay.to_every_reader(ctx, words, plain=True) if words.strip() else []
    if not told:
        return 0
    short = words if len(words) <= 30 else words[:29] + "…"
    prompts = agenda_flow.finish_turn(ctx, [Prompt(NOT_ANSWERED, {"words": text(short)}), *told], top_before)
    actor = ctx.bound()
    key = f"which_wait:{ctx.conv.id}:{ctx.conv.version}"
    for i, prompt in enumerate(prompts):
        enqueue(ctx.uow.session, key=f"{key}:{i}", person_id=actor.person_id, prompt=prompt, priority=Priority.BULK,
                now=ctx.now, to_channel=ctx.channel, to_account=ctx.account_id)
    return len(prompts)
