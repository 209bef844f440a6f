"""The agenda's rules: one current question per chat, the others queued, urgent ones first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain import agenda

NOW = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
CHECKIN = ["ci:1:g", "ci:1:s", "ci:1:h"]
CHECKIN_B = ["ci:2:g", "ci:2:s", "ci:2:h"]
ALERT = ["ack:7"]
CLOSE = ["close:7"]


def _offer(payloads: list[str], at: datetime = NOW) -> dict:
    return agenda.offer({"message_id": "q", "choices": []}, payloads, at)


def _keys(items: list[dict]) -> list[str]:
    return [e["key"] for e in items]


def test_a_second_question_waits_behind_the_first_and_an_alert_goes_first() -> None:
    items, shown = agenda.arrives([], _offer(CHECKIN), NOW)
    assert shown
    items, shown = agenda.arrives(items, _offer(CHECKIN_B), NOW)
    assert not shown and _keys(items) == [agenda.offer_key(CHECKIN), agenda.offer_key(CHECKIN_B)]
    items, shown = agenda.arrives(items, _offer(ALERT), NOW)
    assert shown and agenda.current(items)["key"] == agenda.offer_key(ALERT)
    assert _keys(items)[1:] == [agenda.offer_key(CHECKIN), agenda.offer_key(CHECKIN_B)]


def test_a_reminder_is_the_same_question_shown_again() -> None:
    items, _ = agenda.arrives([], _offer(CHECKIN), NOW)
    items, _ = agenda.arrives(items, _offer(CHECKIN_B), NOW)
    items, shown = agenda.arrives(items, _offer(CHECKIN), NOW + timedelta(hours=1))
    assert shown and len(items) == 2


def test_an_old_unanswered_question_does_not_hold_back_a_new_one() -> None:
    items, _ = agenda.arrives([], _offer(CHECKIN), NOW)
    items, shown = agenda.arrives(items, _offer(CHECKIN_B), NOW + agenda.HOLD + timedelta(minutes=1))
    assert shown and _keys(items) == [agenda.offer_key(CHECKIN_B), agenda.offer_key(CHECKIN)]


def test_a_flow_in_progress_holds_a_new_question_until_it_idles() -> None:
    # fix6ac: held while she is at it (fix6w), but a flow unanswered for TALK_IDLE no longer holds it.
    items = [agenda.flow_entry(NOW)]
    soon = NOW + agenda.TALK_IDLE - timedelta(minutes=1)
    items, shown = agenda.arrives(items, _offer(CHECKIN), soon)
    assert not shown and _keys(items) == [agenda.FLOW_KEY, agenda.offer_key(CHECKIN)]
    assert not agenda.is_stale(items[0], soon)
    later = NOW + agenda.TALK_IDLE
    assert agenda.is_stale(items[0], later)
    items, shown = agenda.arrives(items, _offer(CHECKIN), later)
    assert shown and _keys(items) == [agenda.offer_key(CHECKIN), agenda.FLOW_KEY]  # the flow kept behind it
    items, shown = agenda.arrives([agenda.flow_entry(NOW)], _offer(ALERT), soon)
    assert shown and agenda.current(items)["key"] == agenda.offer_key(ALERT)  # urgent still comes first


def test_an_optional_offer_is_forgotten_when_another_question_is_shown() -> None:
    items = agenda.show([], _offer(CLOSE))
    assert not items[0]["required"]
    items = agenda.show(items, agenda.flow_entry(NOW))
    assert _keys(items) == [agenda.FLOW_KEY]
    items, shown = agenda.arrives(agenda.show([], _offer(CLOSE)), _offer(CHECKIN), NOW)
    assert shown and _keys(items) == [agenda.offer_key(CHECKIN)]


def test_next_up_takes_the_urgent_one_first_and_old_questions_expire() -> None:
    items = [agenda.flow_entry(NOW), _offer(CHECKIN), _offer(ALERT)]
    assert _keys(agenda.next_up(items))[0] == agenda.offer_key(ALERT)
    old = [_offer(CHECKIN, NOW - agenda.EXPIRES - timedelta(minutes=1)), _offer(CHECKIN_B)]
    assert _keys(agenda.tidy(old, NOW)) == [agenda.offer_key(CHECKIN_B)]
