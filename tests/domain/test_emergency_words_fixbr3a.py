"""An all clear cancels only the emergency words before it, never as a question, and 不急 never a sick child (breaker3).

Found by a breaker: any all-clear phrase anywhere made the message no emergency (``没事了。孩子不见了``,
``救命！秀云找到了吗``, ``孩子抽搐了，不急，你们先忙``).
"""

from __future__ import annotations

import pytest

from bot.domain.emergency_words import emergency_kind
from tests.support.emergency_cases import by_kind


@pytest.mark.parametrize(("typed", "kind"), by_kind(
    POLICE=["没事了。孩子不见了", "孩子不见了，不要紧吧"],
    MEDICAL=["杨秀云没事了，就是发烧抽搐", "找到了，救命，发烧抽搐", "孩子抽搐了，不急，你们先忙",
             "found her? she is not breathing"],
    URGENT=["救命！秀云找到了吗"],
))
def test_emergency_words_after_or_beside_an_all_clear_still_count(typed, kind):
    assert emergency_kind(typed, ("杨秀云", "秀云")) is kind


@pytest.mark.parametrize("typed", ["孩子刚才抽筋，现在没事了", "救命，哦不用了，找到了", "紧急，不急了", "没事了",
                                   "孩子还没回家，不过找到了"])
def test_an_all_clear_after_every_emergency_word_still_cancels(typed):
    assert emergency_kind(typed, late=True) is None
