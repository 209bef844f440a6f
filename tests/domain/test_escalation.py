"""The escalation policy: school-plan defaults, overrides, validation, reminder arithmetic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.escalation import (
    Audience,
    EscalationPolicy,
    due_reminder,
    next_action_at,
)

T0 = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)


def test_default_is_the_school_plan_chain() -> None:
    plan = EscalationPolicy.default().plan(T0, minor=False)
    assert [(p.step_no, p.audience, p.send_by - T0, p.due_by - T0) for p in plan] == [
        (1, Audience.ENTRUSTED_GUARDIANS, timedelta(0), 30 * MIN),
        (2, Audience.PARENTS, 30 * MIN, 60 * MIN),
        (3, Audience.OFFICIALS, 60 * MIN, 120 * MIN),
    ]
    assert EscalationPolicy.default().reminder_interval == 10 * MIN


def test_minor_incident_uses_step_one_only() -> None:
    plan = EscalationPolicy.default().plan(T0, minor=True)
    assert [p.audience for p in plan] == [Audience.ENTRUSTED_GUARDIANS]


def test_round_trip_and_partial_override() -> None:
    policy = EscalationPolicy.from_dict(
        {"reminder_interval_minutes": 5, "steps": [{"due_after_minutes": 20}, {"send_after_minutes": 15}]}
    )
    assert policy.reminder_interval == 5 * MIN
    assert [(s.audience, s.send_after, s.due_after) for s in policy.steps] == [
        (Audience.ENTRUSTED_GUARDIANS, timedelta(0), 20 * MIN),
        (Audience.PARENTS, 15 * MIN, 60 * MIN),
    ]
    assert EscalationPolicy.from_dict(policy.to_dict()) == policy
    assert EscalationPolicy.from_dict(None) == EscalationPolicy.default()
    assert EscalationPolicy.from_dict({}) == EscalationPolicy.default()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"reminder_interval_minutes": 0}, "at least 1 minute"),
        ({"reminder_interval_minutes": "ten"}, "number of minutes"),
        ({"reminder_interval_minutes": True}, "number of minutes"),
        ({"steps": [{"due_after_minutes": -5}]}, "negative"),
        ({"steps": [{"send_after_minutes": 30, "due_after_minutes": 30}]}, "deadline must come after"),
        ({"steps": [{}, {"send_after_minutes": 0}, {"send_after_minutes": -1}]}, "negative"),
        ({"steps": [{"send_after_minutes": 10}, {"send_after_minutes": 5}]}, "must not be sent before"),
        ({"steps": [{"audience": "neighbours"}]}, "unknown audience"),
        ({"steps": [{}, {}, {}, {"send_after_minutes": 200, "due_after_minutes": 300}]}, "audience is required"),
        ({"steps": []}, "non-empty"),
        ({"stepz": []}, "unknown escalation policy keys: stepz"),
        ({"steps": [{"due_after": 30}]}, "unknown keys due_after"),
        ({"minor_steps": 4}, "minor_steps"),
        ("30 minutes", "JSON object"),
    ],
)
def test_bad_policies_are_refused_with_a_reason(data: object, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        EscalationPolicy.from_dict(data)  # type: ignore[arg-type]


def test_reminders_every_interval_until_the_deadline() -> None:
    interval, due = 10 * MIN, T0 + 30 * MIN
    assert due_reminder(T0, due, 0, interval, T0 + 9 * MIN) is None
    assert due_reminder(T0, due, 0, interval, T0 + 10 * MIN) == 1
    assert due_reminder(T0, due, 1, interval, T0 + 10 * MIN) is None
    assert due_reminder(T0, due, 1, interval, T0 + 20 * MIN) == 2
    # The deadline brings the missed notice, not a third reminder.
    assert due_reminder(T0, due, 2, interval, T0 + 30 * MIN) is None
    # A late tick sends only the latest due reminder.
    assert due_reminder(T0, due, 0, interval, T0 + 25 * MIN) == 2
    assert next_action_at(T0, due, 0, interval) == T0 + 10 * MIN
    assert next_action_at(T0, due, 2, interval) == due


def test_missed_after_gives_a_late_alert_one_interval() -> None:
    from datetime import UTC, datetime, timedelta

    from bot.domain.escalation import missed_after

    t0 = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
    m10, m30 = timedelta(minutes=10), timedelta(minutes=30)
    assert missed_after(t0, t0, t0 + m30, m10) == t0 + m30  # on time: the deadline
    assert missed_after(t0 + 3 * m30, t0, t0 + m30, m10) == t0 + 3 * m30 + m10  # 1 h late: one interval
    assert missed_after(t0 + timedelta(minutes=28), t0, t0 + m30, m10) == t0 + timedelta(minutes=38)
    # A 5-minute window with a 10-minute interval: a late alert gets the 5 minutes, not more.
    assert missed_after(t0 + m30, t0, t0 + timedelta(minutes=5), m10) == t0 + m30 + timedelta(minutes=5)


def test_a_minor_incident_is_reminded_once_halfway_an_emergency_every_interval() -> None:
    policy = EscalationPolicy.default()
    window = timedelta(minutes=30)
    assert policy.interval_for(minor=True, window=window) == timedelta(minutes=15)  # one reminder, at 15 of 30
    assert policy.interval_for(minor=False, window=window) == timedelta(minutes=10)
    # A school's longer interval is never shortened for a minor incident.
    slow = EscalationPolicy.from_dict({"reminder_interval_minutes": 20})
    assert slow.interval_for(minor=True, window=window) == timedelta(minutes=20)
