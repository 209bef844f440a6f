"""Numbered replies (console, WeChat): a number answers exactly the question it was shown with."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.services.conversations import ConversationState

NOW = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
CHECKIN = ["ci:1:g", "ci:1:s", "ci:1:h"]
CHECKIN_B = ["ci:2:g", "ci:2:s", "ci:2:h"]
ALERT = ["ack:7"]


def test_questions_waiting_side_by_side_get_distinct_numbers() -> None:
    conv = ConversationState(id=1)
    assert conv.offer(CHECKIN, NOW) == 1
    assert conv.offer(CHECKIN_B, NOW) == 4
    assert conv.offer(ALERT, NOW) == 7
    assert conv.offer(ALERT, NOW) == 7  # a reminder of the same alert keeps its number
    assert conv.take(5, NOW) == "ci:2:s"
    assert conv.take(5, NOW) is None  # answered: the number answers nothing more
    assert conv.take(7, NOW) == "ack:7"


def test_numbers_of_an_answered_question_are_not_reused_for_a_day() -> None:
    conv = ConversationState(id=1)
    conv.offer(CHECKIN, NOW)
    assert conv.take(1, NOW) == "ci:1:g"
    assert conv.offer(ALERT, NOW + timedelta(minutes=5)) == 4  # a stray second "1" cannot acknowledge it
    assert conv.take(1, NOW + timedelta(minutes=6)) is None
    later = ConversationState(id=2)
    later.offer(CHECKIN, NOW)
    later.take(1, NOW)
    assert later.offer(ALERT, NOW + timedelta(days=2)) == 1  # a day later numbering starts again


def test_a_question_older_than_a_week_answers_nothing() -> None:
    conv = ConversationState(id=1)
    conv.offer(CHECKIN, NOW)
    assert conv.take(1, NOW + timedelta(days=30)) is None


def test_a_running_flow_is_numbered_after_the_waiting_questions() -> None:
    conv = ConversationState(id=1)
    conv.offer(CHECKIN, NOW)
    conv.offer(CHECKIN_B, NOW)
    conv.take(3, NOW)  # needs help for the first child: a follow-up flow starts
    assert conv.flow_first(NOW) == 7  # after the second child's 4–6, which still wait
    conv.flow, conv.data = "checkin", {"choices": ["health", "study", "money", "safety", "other"], "first": 7}
    assert conv.offer(ALERT, NOW) == 12  # and an alert arriving meanwhile comes after the flow's 7–11
