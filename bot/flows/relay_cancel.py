"""Cancel or skip at "Write your answer to 张强": nothing is sent, and a talk set aside comes back (fix6y, issue 6).

A trial: 王老师 opened the Reply to a grandfather's ``知道了 孩子严重不`` over her talk with 丁倩. Her ``跳过``
there went to him word for word (only cancel words cancelled), and after a cancel his message was asked again
on top of the talk: her next sentence for the talk got "没看懂" and the message once more, line after line.

Now a word for skip that is no "no" (``跳过``, ``skip``, ``pass`` from the catalogs' lists: ``没事`` or ``不用``
may be the answer itself) cancels as ``取消`` and ``算了`` do, and a cancelled answer puts the message behind a
flow set aside (a talk, a report): the flow is asked again at once, its question numbered, and the message,
its Reply with it, after it is done. With nothing set aside the message is asked again at once, as before.
"""

from __future__ import annotations

from bot.domain import agenda
from bot.flows import close_words
from bot.flows.common import CANCELLED, Ctx, say
from bot.messages import payloads
from bot.messages.prompt import N_, Prompt, text

NOT_SENT = N_("Cancelled: nothing was sent to {name}.")


def is_skip(ctx: Ctx, typed: str) -> bool:
    """Whether ``typed`` is only a word for skip (``跳过``, ``skip``) and no word for no (``没事`` may answer him)."""
    return close_words.is_skip(ctx, typed) and not close_words.is_no(ctx, typed)


def cancelled(ctx: Ctx) -> Prompt:
    """End the answer being written: nothing sent, the message behind a flow set aside (:func:`behind`)."""
    values = ctx.values
    writer = str(values.get("writer") or "")
    message_id = int(values.get("message_id") or 0)
    ctx.finish()
    behind(ctx, message_id)
    return say(NOT_SENT, name=text(writer)) if writer else say(CANCELLED)


def behind(ctx: Ctx, message_id: int) -> None:
    """The message ``message_id`` waits behind a flow set aside (no longer urgent to the queue), when one is."""
    if not message_id or not any(e["kind"] == "saved" for e in ctx.conv.agenda):
        return
    payload = payloads.family_reply(message_id)
    mine = [e for e in ctx.conv.agenda if e["kind"] == "offer" and payload in (e.get("payloads") or ())]
    rest = [e for e in ctx.conv.agenda if not any(e is m for m in mine)]
    ctx.conv.agenda = [*rest, *({**agenda.touch(e, ctx.now), "urgent": False} for e in mine)]
