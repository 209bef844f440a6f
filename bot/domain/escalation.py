"""The incident escalation policy (突发事件联系链): who is told, by when, how often reminded.

Pure rules, no storage. The default comes from the schools' written care plans:
the entrusted guardian must be reached within 30 minutes, the parents working
away within 1 hour and the education bureau and town government within
2 hours of the report ("不得拖延推诿"). A school may override the offsets and
the reminder interval (``School.escalation_policy``); an incident keeps the
policy it was reported under (``Incident.policy`` is a :meth:`EscalationPolicy.to_dict`
snapshot).

Rules the services rely on:

* Step ``n`` is sent at ``reported_at + send_after`` at the latest, or at once
  when step ``n - 1`` is acknowledged. A step counts as acknowledged as soon as
  *any* of its recipients acknowledged (one grandparent answering is enough to
  move on to the parents), and its other recipients are then no longer
  reminded nor reported missed: the step has reached the family.
* Each recipient must acknowledge by ``reported_at + due_after``; until then,
  an unacknowledged recipient is reminded every ``reminder_interval`` after
  the first send (a reminder that would fall on or after the deadline is not
  sent: the deadline brings the missed-deadline notice instead).
* A recipient is declared missed at :func:`missed_after`: their deadline, or,
  when their alert went out late (a tick after a scheduler outage) or close to
  the deadline, one reminder interval after that alert (at most the step's
  planned window ``due_by - send_by``). So the alert and the missed-deadline
  notice of one recipient never go out in the same run, and the recipient has
  a moment to answer. An on-time send (at or before ``send_by``) is unaffected.
* Minor incidents use only the first ``minor_steps`` steps (default: step 1).
* A **safeguarding** report (suspected abuse or neglect by an adult, issue 10
  item 9) has its own chain that never names the family: the school's leaders
  and safeguarding lead at once, the child-protection contacts (儿童主任, 妇联,
  police) when a leader acknowledges and at the latest 30 minutes later
  (:meth:`EscalationPolicy.safeguarding_default`). A safeguarding policy naming a
  family audience is refused: the accused may be the guardian.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any


class Audience(StrEnum):
    """Who a step goes to, resolved from the child's archive and the school's people."""

    ENTRUSTED_GUARDIANS = "entrusted_guardians"  # ChildRelation kind entrusted_guardian
    PARENTS = "parents"  # ChildRelation kinds father, mother (外出务工父母)
    OFFICIALS = "officials"  # people of the school with Role education_bureau / town_government
    SCHOOL_LEADERS = "school_leaders"  # Role school_leader / safeguarding_lead; the admins when neither
    CHILD_PROTECTION = "child_protection"  # Role child_director / womens_federation / police


FAMILY_AUDIENCES = frozenset({Audience.ENTRUSTED_GUARDIANS, Audience.PARENTS})
"""Audiences made of the child's family: never part of a safeguarding chain."""


@dataclass(frozen=True)
class StepPolicy:
    """One step of the chain.

    Attributes:
        audience: who receives it.
        send_after: latest send time, as an offset from the report.
        due_after: deadline to reach the recipients, as an offset from the report.
    """

    audience: Audience
    send_after: timedelta
    due_after: timedelta


@dataclass(frozen=True)
class PlannedStep:
    """A step of one incident with absolute UTC times."""

    step_no: int  # 1-based
    audience: Audience
    send_by: datetime
    due_by: datetime


_MIN = timedelta(minutes=1)
_MAX_OFFSET = timedelta(days=7)
_STEP_KEYS = {"audience", "send_after_minutes", "due_after_minutes"}
_POLICY_KEYS = {"steps", "reminder_interval_minutes", "minor_steps"}


def _minutes(value: Any, where: str) -> timedelta:
    # bool is an int in Python; "true minutes" is a typo, not a policy.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{where} must be a number of minutes, got {value!r}")
    if value < 0:
        raise ValueError(f"{where} must not be negative, got {value!r}")
    return timedelta(minutes=value)


def _as_minutes(value: timedelta) -> int | float:
    minutes = value.total_seconds() / 60
    return int(minutes) if minutes == int(minutes) else minutes


@dataclass(frozen=True)
class EscalationPolicy:
    """A school's escalation policy.

    Attributes:
        steps: the chain in order (step 1 first).
        reminder_interval: time between reminders to an unacknowledged recipient.
        minor_steps: how many leading steps a minor incident uses.
    """

    steps: tuple[StepPolicy, ...]
    reminder_interval: timedelta
    minor_steps: int = 1

    def __post_init__(self) -> None:
        if not self.steps:
            raise ValueError("an escalation policy needs at least one step")
        if self.reminder_interval < _MIN:
            raise ValueError("reminder interval must be at least 1 minute")
        if not 1 <= self.minor_steps <= len(self.steps):
            raise ValueError(f"minor_steps must be between 1 and {len(self.steps)}, got {self.minor_steps}")
        previous = timedelta(0)
        for n, step in enumerate(self.steps, start=1):
            if step.send_after < previous:
                raise ValueError(f"step {n} must not be sent before step {n - 1}")
            if step.due_after <= step.send_after:
                raise ValueError(f"step {n}: the deadline must come after the send time")
            if step.due_after > _MAX_OFFSET:
                raise ValueError(f"step {n}: a deadline over 7 days is not an emergency chain")
            previous = step.send_after

    @classmethod
    def default(cls) -> EscalationPolicy:
        """The school plans' chain: guardian 0/30 min, parents 30/60 min, officials 60/120 min, reminders 10 min."""
        return cls(
            steps=(
                StepPolicy(Audience.ENTRUSTED_GUARDIANS, timedelta(0), timedelta(minutes=30)),
                StepPolicy(Audience.PARENTS, timedelta(minutes=30), timedelta(hours=1)),
                StepPolicy(Audience.OFFICIALS, timedelta(hours=1), timedelta(hours=2)),
            ),
            reminder_interval=timedelta(minutes=10),
            minor_steps=1,
        )

    @classmethod
    def safeguarding_default(cls) -> EscalationPolicy:
        """The safeguarding chain: leaders 0/30 min, child-protection contacts 30/120 min, reminders every 10 min.

        The family is never in it (issue 10, item 9: a report of abuse must not
        reach the accused guardian). The school's leaders judge first, but the
        child-protection contacts hear within 30 minutes whatever they do, and
        at once when a leader acknowledges (the duty to report, 强制报告).
        """
        return cls(
            steps=(
                StepPolicy(Audience.SCHOOL_LEADERS, timedelta(0), timedelta(minutes=30)),
                StepPolicy(Audience.CHILD_PROTECTION, timedelta(minutes=30), timedelta(hours=2)),
            ),
            reminder_interval=timedelta(minutes=10),
            minor_steps=2,
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None, *, safeguarding: bool = False) -> EscalationPolicy:
        """Build a policy from a school's overrides (or an incident's snapshot).

        Shape (every key optional; missing keys keep the default)::

            {"reminder_interval_minutes": 10,
             "minor_steps": 1,
             "steps": [{"audience": "entrusted_guardians", "send_after_minutes": 0, "due_after_minutes": 30},
                       {"send_after_minutes": 20, "due_after_minutes": 45}, ...]}

        A step entry overrides the default step at the same position; a list
        longer than the default must name the ``audience`` of the extra steps;
        a shorter list keeps only those steps.

        Args:
            data: the overrides (or snapshot), or None for the default.
            safeguarding: the overrides of the safeguarding chain
                (``School.safeguarding_policy``): the defaults are
                :meth:`safeguarding_default`'s, and a family audience is refused.

        Raises:
            ValueError: unknown keys, wrong types, negative offsets, a deadline
                not after its send time, steps out of order, a reminder
                interval under 1 minute, a family audience in a safeguarding
                policy; the message says which.
        """
        base = cls.safeguarding_default() if safeguarding else cls.default()
        if data is None:
            return base
        if not isinstance(data, dict):
            raise ValueError("escalation policy must be a JSON object")
        unknown = set(data) - _POLICY_KEYS
        if unknown:
            raise ValueError(f"unknown escalation policy keys: {', '.join(sorted(unknown))}")
        steps = list(base.steps)
        if "steps" in data:
            raw_steps = data["steps"]
            if not isinstance(raw_steps, list) or not raw_steps:
                raise ValueError("steps must be a non-empty list")
            steps = []
            for n, raw in enumerate(raw_steps, start=1):
                if not isinstance(raw, dict):
                    raise ValueError(f"step {n} must be an object")
                bad = set(raw) - _STEP_KEYS
                if bad:
                    raise ValueError(f"step {n}: unknown keys {', '.join(sorted(bad))}")
                default = base.steps[n - 1] if n <= len(base.steps) else None
                if "audience" in raw:
                    try:
                        audience = Audience(raw["audience"])
                    except ValueError:
                        raise ValueError(f"step {n}: unknown audience {raw['audience']!r}") from None
                elif default is not None:
                    audience = default.audience
                else:
                    raise ValueError(f"step {n}: audience is required for an extra step")
                if default is None and not {"send_after_minutes", "due_after_minutes"} <= set(raw):
                    raise ValueError(f"step {n}: an extra step needs send_after_minutes and due_after_minutes")
                send_after = (
                    _minutes(raw["send_after_minutes"], f"step {n} send_after_minutes")
                    if "send_after_minutes" in raw
                    else default.send_after  # type: ignore[union-attr]
                )
                due_after = (
                    _minutes(raw["due_after_minutes"], f"step {n} due_after_minutes")
                    if "due_after_minutes" in raw
                    else default.due_after  # type: ignore[union-attr]
                )
                steps.append(StepPolicy(audience, send_after, due_after))
        interval = base.reminder_interval
        if "reminder_interval_minutes" in data:
            interval = _minutes(data["reminder_interval_minutes"], "reminder_interval_minutes")
        minor = data.get("minor_steps", min(base.minor_steps, len(steps)))
        if isinstance(minor, bool) or not isinstance(minor, int):
            raise ValueError(f"minor_steps must be a whole number, got {minor!r}")
        if safeguarding:
            family = [n for n, step in enumerate(steps, start=1) if step.audience in FAMILY_AUDIENCES]
            if family:
                raise ValueError(f"step {family[0]}: a safeguarding chain never goes to the family")
        return cls(steps=tuple(steps), reminder_interval=interval, minor_steps=minor)

    def interval_for(self, *, minor: bool, window: timedelta) -> timedelta:
        """The time between reminders to one recipient: half the step's window for a minor incident.

        A scraped knee reported at night reached the grandparent at 07:00 with reminders at 07:10 and 07:20 (a
        new-user trial, LOW-12). A minor incident asks for nothing urgent (DESIGN.md "Escalation": the chain
        reaches the family; issue 6 item 5: no one is sent the same notice over and over): one reminder halfway
        to the deadline, which stays the school's, and then the reporter is told (the missed-deadline notice).
        An emergency keeps :attr:`reminder_interval`.

        Args:
            minor: the incident is minor (一般).
            window: the step's planned window, ``due_by - send_by``.
        """
        return max(self.reminder_interval, window / 2) if minor else self.reminder_interval

    def to_dict(self) -> dict[str, Any]:
        """The complete policy as JSON (what an incident snapshots); ``from_dict`` reads it back unchanged."""
        return {
            "reminder_interval_minutes": _as_minutes(self.reminder_interval),
            "minor_steps": self.minor_steps,
            "steps": [
                {
                    "audience": s.audience.value,
                    "send_after_minutes": _as_minutes(s.send_after),
                    "due_after_minutes": _as_minutes(s.due_after),
                }
                for s in self.steps
            ],
        }

    def plan(self, reported_at: datetime, *, minor: bool) -> list[PlannedStep]:
        """The steps of an incident reported at ``reported_at`` (aware UTC), with absolute times.

        Args:
            reported_at: the report time; for a minor incident reported in the
                quiet hours, the end of the quiet hours (every step moves with it).
            minor: a minor incident uses only the first ``minor_steps`` steps.
        """
        steps = self.steps[: self.minor_steps] if minor else self.steps
        return [
            PlannedStep(n, s.audience, reported_at + s.send_after, reported_at + s.due_after)
            for n, s in enumerate(steps, start=1)
        ]


def due_reminder(sent_at: datetime, due_by: datetime, reminders_sent: int, interval: timedelta,
                 now: datetime) -> int | None:
    """Which reminder to send now, if any.

    Reminder ``k`` falls at ``sent_at + k * interval`` and only before ``due_by``.
    After a late tick only the latest due reminder is sent (a person gets one
    reminder, not a burst of the ones a sleeping worker missed).

    Returns:
        The reminder number ``k`` (1-based) to send, or None.
    """
    if now >= due_by or now < sent_at:
        return None
    k = int((now - sent_at) / interval)
    while k > 0 and sent_at + k * interval >= due_by:
        k -= 1
    return k if k > reminders_sent else None


def missed_after(sent_at: datetime, send_by: datetime, due_by: datetime, interval: timedelta) -> datetime:
    """When a sent, unacknowledged recipient counts as not reached (the missed-deadline notice).

    ``max(due_by, sent_at + min(interval, due_by - send_by))``: the deadline,
    except after a late or near-deadline send, which leaves the recipient one
    reminder interval (or the step's planned window, if shorter) to answer.
    For a send at or before ``send_by`` this is ``due_by``.

    Args:
        sent_at: the recipient's first alert (UTC).
        send_by: the step's planned latest send time (UTC).
        due_by: the recipient's deadline (UTC).
        interval: the policy's reminder interval.
    """
    return max(due_by, sent_at + min(interval, due_by - send_by))


def next_action_at(sent_at: datetime, due_by: datetime, reminders_sent: int, interval: timedelta,
                   missed_at: datetime | None = None) -> datetime:
    """When a sent, unacknowledged recipient needs attention next: the next reminder or the missed notice.

    Args:
        sent_at: when the step's alert was sent (aware UTC).
        due_by: the recipient's deadline.
        reminders_sent: reminders sent so far.
        interval: time between reminders (the school's policy).
        missed_at: when the missed notice is due (:func:`missed_after`); ``due_by`` when omitted.
    """
    upcoming = sent_at + (reminders_sent + 1) * interval
    return upcoming if upcoming < due_by else (missed_at or due_by)
