"""A check-in answered with a pinyin slip: ``很号`` for 很好, ``一版`` for 一般 (issue 6 trial).

A grandfather asked how 杨秀云 was this week typed ``很号``: his input method offered 号 for hao. It went to the
class teacher as a message and the question came again. A short reply that sounds like the words of exactly one of
the check-in's answers (:func:`bot.domain.sound_alike.sounds_like`: its label, or an everyday word of the catalogs
for it) is that answer; the usual confirmation names it (「已记录：杨秀云这周很好」), so a wrong guess is seen and
changed (改一下). Replies that sound like two answers, or like none, are read as before.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from bot.domain.sound_alike import sounds_like
from bot.flows import agenda as agenda_flow
from bot.flows import checkin
from bot.flows import words as everyday
from bot.flows.common import Ctx
from bot.i18n import render
from bot.messages import payloads
from bot.messages.prompt import Choice, Prompt


def at_checkin(ctx: Ctx, choices: Sequence[Choice], typed: str) -> list[Prompt] | None:
    """The check-in answer ``typed`` sounds like, recorded and confirmed; None when it sounds like no single one."""
    heard = everyday.fold(typed)
    bare = "".join(ch for ch in typed if not ch.isspace() and not unicodedata.category(ch).startswith("P"))
    if bare.endswith(("吗", "吧", "呢", "么", "嘛")) or "?" in typed or "？" in typed:
        # 没事吧？ / 好吗 folded to a listed word are questions the check-in already declined (fixk): a slip is
        # a word typed as it sounds, never a word with its question particle dropped.
        return None
    found: dict[str, tuple[int, Choice]] = {}
    for choice in choices:
        pressed = payloads.decode(choice.payload)
        if not isinstance(pressed, payloads.CheckinPress) or choice.typed:
            continue
        label = render(Prompt(choice.label, choice.params), ctx.locale, ctx.timezone).text
        said = {everyday.fold(label)}
        for kind in everyday.LABEL_WORDS.get(choice.label, ()):
            said |= everyday.words(ctx.locale, kind)
        if any(sounds_like(heard, word) for word in said):
            found[pressed.answer] = (pressed.checkin_id, choice)
    if len(found) != 1:
        return None
    answer, (checkin_id, choice) = next(iter(found.items()))
    agenda_flow.answered(ctx, choice.payload)
    return checkin.on_answer(ctx, checkin_id, answer)
