"""Words of concern naming another family's child: a silent copy to that child's class teacher (fix6ad).

Runs on every typed text of a guardian or parent before it is handled (:func:`bot.flows.dispatch.dispatch`),
so what she reads is the same whether the name is a child of the school or no child at all: her message is
handled exactly as any (:mod:`bot.services.other_child_words`, docs/flows/relay.md).
"""

from __future__ import annotations

from bot.domain.emergency_words import emergency_kind
from bot.flows import checkin_worry, relay
from bot.flows.common import Ctx
from bot.services import other_child_words


def copy(ctx: Ctx, typed: str) -> None:
    """``杨秀云需要帮助`` from 李雪: the words to 杨秀云's class teacher too; nothing is said to her about it."""
    words = typed.strip()
    if ctx.actor is None or not words or words.startswith(("/", "／")) or not relay.writes_about(ctx):
        return
    kind = emergency_kind(words, ())
    if not (checkin_worry.is_worry(words) or kind is not None):
        return  # 杨秀云和婷婷一起玩: no concern for her teacher to act on
    other_child_words.pass_on(ctx.uow, from_person_id=ctx.actor.person_id, words=words, channel=ctx.channel,
                              now=ctx.now, kind=kind)  # 隔壁杨秀云被她爷爷打了: 【紧急】 at once (trial B3)
