"""The family link's button payloads (issue 8, items 4–7): built ones decode back, anything else is None."""

from __future__ import annotations

import pytest

from bot.messages import payloads
from bot.messages.payloads import MAX_ID, NewsReview, decode


def test_news_review() -> None:
    assert payloads.news_review(7) == "nw:7"
    assert decode(payloads.news_review(MAX_ID)) == NewsReview(MAX_ID)
    with pytest.raises(ValueError):
        payloads.news_review(MAX_ID + 1)


@pytest.mark.parametrize("payload", ["nw", "nw:", "nw:0", "nw:x", "nw:1:2", f"nw:{MAX_ID + 1}", "nw:²"])
def test_malformed_news_payloads_are_none(payload: str) -> None:
    assert decode(payload) is None
