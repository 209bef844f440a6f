"""The family link's button payloads (issue 8, items 4–7): built ones decode back, anything else is None."""

from __future__ import annotations

import pytest

from bot.messages import payloads
from bot.messages.payloads import (
    MAX_ID,
    CallDecision,
    CallLog,
    MeetingAttendance,
    MeetingReply,
    NewsReview,
    decode,
)


def test_what_is_built_decodes_to_what_it_says() -> None:
    assert decode(payloads.news_review(MAX_ID)) == NewsReview(MAX_ID)
    assert decode(payloads.call_decision(3, confirm=True)) == CallDecision(3, True)
    assert decode(payloads.call_decision(3, confirm=False)) == CallDecision(3, False)
    assert decode(payloads.call_log(4, held=True)) == CallLog(4, True)
    assert decode(payloads.call_log(4, held=False)) == CallLog(4, False)
    assert decode(payloads.meeting_reply(5, yes=True)) == MeetingReply(5, True)
    assert decode(payloads.meeting_attendance(6)) == MeetingAttendance(6)


def test_the_wire_format() -> None:
    assert (payloads.news_review(7), payloads.call_decision(7, confirm=True), payloads.call_log(7, held=False),
            payloads.meeting_reply(7, yes=False), payloads.meeting_attendance(7)) == (
        "nw:7", "fc:7:y", "fl:7:n", "mt:7:n", "ma:7")
    for build in (payloads.news_review, payloads.meeting_attendance):
        with pytest.raises(ValueError):
            build(MAX_ID + 1)
    with pytest.raises(ValueError):
        payloads.call_decision(0, confirm=True)


@pytest.mark.parametrize("payload", [
    "nw", "nw:", "nw:0", "nw:x", "nw:1:2", f"nw:{MAX_ID + 1}", "nw:²", "fc:1", "fc:1:h", "fc:x:y", "fl:1:y",
    "fl:1:h:2", "mt:1", "mt:1:h", f"mt:{MAX_ID + 1}:y", "ma:", "ma:1:2", "ma:-1",
])
def test_malformed_family_payloads_are_none(payload: str) -> None:
    assert decode(payload) is None
