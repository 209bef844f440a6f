"""The incident chain as services, with an injected clock, on SQLite and PostgreSQL.

Assertions are on outbox rows (key, recipient, message id): sending them is
the delivery helper's job.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.domain.clock import ManualClock
from bot.domain.enums import TaskKind
from bot.domain.escalation import EscalationPolicy
from bot.i18n import render
from bot.messages.prompt import Prompt
from bot.services import incident_messages as m
from bot.services.incident_close import CANCELLED, CloseResult, close_incident
from bot.services.incident_escalation import run_escalations
from bot.services.incident_fallback import on_recipient_unreachable
from bot.services.incident_messages import ack_reply
from bot.services.incident_notices import close_reply
from bot.services.incident_timeline import may_view_incident, timeline, timeline_prompt
from bot.services.incidents import (
    AckResult,
    acknowledge,
    report_incident,
)
from bot.store.models import (
    ChildRelation,
    Incident,
    IncidentEvent,
    IncidentStep,
    OutboxMessage,
    Person,
    PersonRole,
    School,
    Task,
)
from bot.store.uow import UnitOfWorkFactory
from tests.support.school import World, incident_school

MIN = timedelta(minutes=1)


def outbox(uow_factory: UnitOfWorkFactory) -> list[tuple[str, int, str]]:
    """(key, recipient, message id) of every outbox row, oldest first."""
    with uow_factory() as uow:
        return [
            (r.key, r.person_id, r.payload["message_id"])
            for r in uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        ]


def keys(uow_factory: UnitOfWorkFactory) -> list[str]:
    return [k for k, _, _ in outbox(uow_factory)]


def report(uow_factory, w: World, clock: ManualClock, severity: str = "emergency", **kw) -> int:
    with uow_factory() as uow:
        iid = report_incident(uow, reporter_id=w.teacher, child_id=w.child, kind="injury", severity=severity,
                              description="放学路上摔伤了腿", now=clock.now(), **kw)
        uow.commit()
    return iid


def tick(uow_factory, clock: ManualClock) -> int:
    with uow_factory() as uow:
        n = run_escalations(uow, now=clock.now())
        uow.commit()
    return n


def ack(uow_factory, person: int, iid: int, clock: ManualClock) -> AckResult:
    with uow_factory() as uow:
        r = acknowledge(uow, person_id=person, incident_id=iid, now=clock.now())
        uow.commit()
    return r


def close(uow_factory, person: int, iid: int, clock: ManualClock) -> CloseResult:
    with uow_factory() as uow:
        r = close_incident(uow, person_id=person, incident_id=iid, now=clock.now(), outcome="safe_at_home")
        uow.commit()
    return r


def send_key(iid: int, step: int, person: int) -> str:
    return f"incident:{iid}:step:{step}:person:{person}:send"


_ANY = m.IncidentSummary(1, "", None, "injury", "emergency", "open", "", "", datetime(2026, 1, 1, tzinfo=UTC))
ALERT_ID = m.alert_prompt(_ANY, due_by=_ANY.reported_at, now=_ANY.reported_at, family=True).message_id
REMINDER_ID = m.reminder_prompt(_ANY, due_by=_ANY.reported_at, number=1, sent_ago=MIN).message_id


def test_emergency_reaches_guardian_at_once_parents_at_30_min_officials_at_1_h(uow_factory, clock) -> None:
    w = incident_school(uow_factory)
    iid = report(uow_factory, w, clock)
    assert outbox(uow_factory) == [(send_key(iid, 1, w.guardian), w.guardian, ALERT_ID)]
    with uow_factory() as uow:
        row = uow.session.scalar(select(OutboxMessage))
        assert row.priority == "urgent"
        assert row.payload["choices"][0]["payload"] == f"ack:{iid}"
        text = render(Prompt.from_dict(row.payload), "zh_Hans").text
        assert "张三" in text and "三年级(2)班" in text and "受伤" in text and "请于2026年11月30日 09:30前" in text

    clock.advance(29 * MIN)
    tick(uow_factory, clock)
    assert send_key(iid, 2, w.father) not in keys(uow_factory)
    clock.advance(1 * MIN)  # 30 min after the report
    tick(uow_factory, clock)
    sent = keys(uow_factory)
    assert send_key(iid, 2, w.father) in sent and send_key(iid, 2, w.mother) in sent
    assert send_key(iid, 3, w.bureau) not in sent
    clock.advance(30 * MIN)  # 1 h
    tick(uow_factory, clock)
    sent = keys(uow_factory)
    assert send_key(iid, 3, w.bureau) in sent and send_key(iid, 3, w.town) in sent


def test_acknowledgement_sends_the_next_step_at_once(uow_factory, clock) -> None:
    w = incident_school(uow_factory)
    iid = report(uow_factory, w, clock)
    clock.advance(5 * MIN)
    assert ack(uow_factory, w.guardian, iid, clock) is AckResult.ACKNOWLEDGED
    sent = keys(uow_factory)
    assert send_key(iid, 2, w.father) in sent and send_key(iid, 2, w.mother) in sent
    assert send_key(iid, 3, w.bureau) not in sent
    clock.advance(2 * MIN)
    assert ack(uow_factory, w.mother, iid, clock) is AckResult.ACKNOWLEDGED
    sent = keys(uow_factory)
    assert send_key(iid, 3, w.bureau) in sent and send_key(iid, 3, w.town) in sent
    # The father was not needed for the step to count as acknowledged; his deadline stays the report + 1 h.
    with uow_factory() as uow:
        step = uow.session.scalar(select(IncidentStep).where(IncidentStep.person_id == w.father))
        assert step.sent_at == clock.now() - 2 * MIN
        assert step.due_by == clock.now() - 7 * MIN + 60 * MIN


def test_reminders_every_10_minutes_stop_after_acknowledgement(uow_factory, clock) -> None:
    w = incident_school(uow_factory)
    iid = report(uow_factory, w, clock)
    for _ in range(10):  # a tick every minute
        clock.advance(MIN)
        tick(uow_factory, clock)
    remind = f"incident:{iid}:step:1:person:{w.guardian}:remind:1"
    assert (remind, w.guardian, REMINDER_ID) in outbox(uow_factory)
    for _ in range(9):
        clock.advance(MIN)
        tick(uow_factory, clock)
    assert not [k for k in keys(uow_factory) if k.endswith(":remind:2")]
    clock.advance(MIN)  # 20 min
    tick(uow_factory, clock)
    assert f"incident:{iid}:step:1:person:{w.guardian}:remind:2" in keys(uow_factory)
    assert ack(uow_factory, w.guardian, iid, clock) is AckResult.ACKNOWLEDGED
    before = [k for k in keys(uow_factory) if f":person:{w.guardian}:" in k]
    for _ in range(30):
        clock.advance(MIN)
        tick(uow_factory, clock)
    assert [k for k in keys(uow_factory) if f":person:{w.guardian}:" in k] == before
    # The parents, sent at 20 min upon the acknowledgement, are reminded on their own schedule.
    assert f"incident:{iid}:step:2:person:{w.father}:remind:1" in keys(uow_factory)


def test_missed_deadline_is_told_once_to_the_reporter_and_a_spent_chain_once_to_the_admins(uow_factory,
                                                                                           clock) -> None:
    w = incident_school(uow_factory, policy={"steps": [{}], "minor_steps": 1})
    iid = report(uow_factory, w, clock)
    clock.advance(30 * MIN)
    tick(uow_factory, clock)
    missed = [(k, p, mid) for k, p, mid in outbox(uow_factory) if ":missed:" in k]
    assert [(k, p) for k, p, _ in missed] == [(f"incident:{iid}:step:1:person:{w.guardian}:missed:to:{w.teacher}",
                                               w.teacher)]
    # The whole chain (one step here) is spent: the admins and leaders get one summary each, and a task.
    spent = [(k, p) for k, p, _ in outbox(uow_factory) if ":chain_missed:" in k]
    assert sorted(p for _, p in spent) == sorted([w.admin, w.leader])
    with uow_factory() as uow:
        row = uow.session.scalar(select(OutboxMessage).where(OutboxMessage.person_id == w.admin))
        rendered = render(Prompt.from_dict(row.payload), "zh_Hans")
        assert "王奶奶0" in rendered.text and "139 0000 0000" in rendered.text
        assert ("结束事件", f"close:{iid}") in rendered.choices
        assert uow.session.scalar(select(IncidentStep.missed_at)) == clock.now()
        tasks = uow.session.scalars(select(Task).where(Task.kind == TaskKind.INCIDENT_NOT_REACHED.value)).all()
        # One task for the school (fig9d: one each was listed twice in /tasks), with the first admin, due in 1 h.
        assert [(t.assignee_id, t.due_at) for t in tasks] == [(min(w.admin, w.leader), clock.now() + 60 * MIN)]
    for _ in range(3):
        clock.advance(10 * MIN)
        tick(uow_factory, clock)
    assert len([k for k in keys(uow_factory) if ":missed:" in k or ":chain_missed:" in k]) == 3
    with uow_factory() as uow:
        assert uow.session.scalar(
            select(func.count()).select_from(IncidentEvent).where(IncidentEvent.kind == "missed")
        ) == 1


def test_missed_parent_without_phone_says_so(uow_factory, clock) -> None:
    w = incident_school(uow_factory)
    iid = report(uow_factory, w, clock)
    ack(uow_factory, w.guardian, iid, clock)
    clock.advance(60 * MIN)
    tick(uow_factory, clock)
    with uow_factory() as uow:
        # Both parents missed at 10:00: one summary to the reporter (fix6ae), the mother's line without a phone.
        [row] = uow.session.scalars(select(OutboxMessage).where(
            OutboxMessage.key.like(f"incident:{iid}:missed:%:to:{w.teacher}"))).all()
        assert "档案中没有电话号码" in render(Prompt.from_dict(row.payload), "zh_Hans").text


def test_minor_incident_is_step_one_only(uow_factory, clock) -> None:
    w = incident_school(uow_factory)
    iid = report(uow_factory, w, clock, severity="minor")
    for _ in range(15):
        clock.advance(10 * MIN)
        tick(uow_factory, clock)
    recipients = {p for k, p, _ in outbox(uow_factory) if k.endswith(":send")}
    assert recipients == {w.guardian}
    with uow_factory() as uow:
        assert {s.step_no for s in uow.session.scalars(select(IncidentStep))} == {1}
    assert ack(uow_factory, w.guardian, iid, clock) is AckResult.ACKNOWLEDGED
    assert {p for k, p, _ in outbox(uow_factory) if k.endswith(":send")} == {w.guardian}


def test_close_stops_everything_and_twice_changes_nothing(uow_factory, clock) -> None:
    w = incident_school(uow_factory)
    iid = report(uow_factory, w, clock)
    clock.advance(30 * MIN)
    tick(uow_factory, clock)  # parents sent
    assert close(uow_factory, w.stranger, iid, clock) is CloseResult.DENIED
    assert close(uow_factory, w.guardian, iid, clock) is CloseResult.DENIED
    assert close(uow_factory, w.admin, iid, clock) is CloseResult.CLOSED
    after_close = outbox(uow_factory)
    closed_to = {p for k, p, _ in after_close if ":closed:" in k}
    assert closed_to == {w.guardian, w.father, w.mother, w.teacher}
    with uow_factory() as uow:
        unsent = uow.session.scalars(select(OutboxMessage).where(~OutboxMessage.key.like("%:closed:%"))).all()
        assert unsent and all(r.cancelled_at == clock.now() and r.last_error == CANCELLED for r in unsent)
        assert all(r.failed_at is None and r.sent_at is None for r in unsent)
        assert uow.session.scalar(select(Incident.status)) == "closed"
    assert close(uow_factory, w.teacher, iid, clock) is CloseResult.ALREADY
    assert ack(uow_factory, w.father, iid, clock) is AckResult.CLOSED
    for _ in range(20):
        clock.advance(10 * MIN)
        tick(uow_factory, clock)
    assert outbox(uow_factory) == after_close
    with uow_factory() as uow:
        assert uow.session.scalar(
            select(func.count()).select_from(IncidentEvent).where(IncidentEvent.kind == "closed")) == 1
    assert render(close_reply(CloseResult.ALREADY), "zh_Hans").text == "此事件此前已结束。"
    assert render(ack_reply(AckResult.CLOSED), "en").text == "This incident is closed."


def test_double_acknowledgement_changes_nothing_and_strangers_are_refused(uow_factory, clock) -> None:
    w = incident_school(uow_factory)
    iid = report(uow_factory, w, clock)
    assert ack(uow_factory, w.stranger, iid, clock) is AckResult.NOT_RECIPIENT
    assert ack(uow_factory, w.guardian, iid + 99, clock) is AckResult.NOT_RECIPIENT
    assert ack(uow_factory, w.guardian, iid, clock) is AckResult.ACKNOWLEDGED
    rows, acked_at = outbox(uow_factory), clock.now()
    clock.advance(MIN)
    assert ack(uow_factory, w.guardian, iid, clock) is AckResult.ALREADY
    assert outbox(uow_factory) == rows
    with uow_factory() as uow:
        step = uow.session.scalar(select(IncidentStep).where(IncidentStep.person_id == w.guardian))
        assert step.acknowledged_at == acked_at
        assert uow.session.scalar(
            select(func.count()).select_from(IncidentEvent).where(IncidentEvent.kind == "acknowledged")) == 1
    assert render(ack_reply(AckResult.ALREADY), "zh_Hans").text == "您已确认过此事件。"
    assert render(ack_reply(AckResult.ACKNOWLEDGED), "zh_Hans").text == "谢谢，已记录您的确认。"


def test_changed_policy_applies_to_new_incidents_only(uow_factory, clock) -> None:
    w = incident_school(uow_factory)
    first = report(uow_factory, w, clock)
    with pytest.raises(ValueError, match="at least 1 minute"):
        EscalationPolicy.from_dict({"reminder_interval_minutes": 0})
    with uow_factory() as uow:
        uow.session.get(School, w.school).escalation_policy = {
            "reminder_interval_minutes": 5, "steps": [{"due_after_minutes": 15}]}
        uow.commit()
    second = report(uow_factory, w, clock)
    clock.advance(5 * MIN)
    tick(uow_factory, clock)
    assert f"incident:{second}:step:1:person:{w.guardian}:remind:1" in keys(uow_factory)
    assert f"incident:{first}:step:1:person:{w.guardian}:remind:1" not in keys(uow_factory)
    with uow_factory() as uow:
        firsts = {i.id: i.policy for i in uow.session.scalars(select(Incident))}
        assert firsts[first]["reminder_interval_minutes"] == 10
        assert firsts[second]["reminder_interval_minutes"] == 5
        assert [r.due_by - r.sent_at for r in timeline(uow, second)] == [15 * MIN]
        assert {r.step_no for r in timeline(uow, second)} == {1}
        assert {r.step_no for r in timeline(uow, first)} == {1, 2, 3}


def test_ticks_at_the_same_time_create_no_duplicates(uow_factory, clock) -> None:
    w = incident_school(uow_factory)
    report(uow_factory, w, clock)
    clock.advance(60 * MIN)
    assert tick(uow_factory, clock) > 0
    rows = outbox(uow_factory)
    assert tick(uow_factory, clock) == 0
    assert outbox(uow_factory) == rows
    assert len({k for k, _, _ in rows}) == len(rows)


def test_redelivered_confirm_creates_one_incident(uow_factory, clock) -> None:
    w = incident_school(uow_factory)
    a = report(uow_factory, w, clock, request_key="telegram:42:v7")
    b = report(uow_factory, w, clock, request_key="telegram:42:v7")
    assert a == b
    with uow_factory() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Incident)) == 1
    assert len(outbox(uow_factory)) == 1


@pytest.mark.parametrize(
    ("kind", "severity", "description", "reason"),
    [("fire", "emergency", "x", "kind"), ("injury", "urgent", "x", "severity"),
     ("injury", "minor", "   ", "description"), ("injury", "minor", "长" * 2001, "description")],
)
def test_bad_reports_write_nothing(uow_factory, clock, kind, severity, description, reason) -> None:
    w = incident_school(uow_factory)
    with uow_factory() as uow, pytest.raises(ValueError, match=reason):
        report_incident(uow, reporter_id=w.teacher, child_id=w.child, kind=kind, severity=severity,
                        description=description, now=clock.now())
    with uow_factory() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Incident)) == 0
    assert outbox(uow_factory) == []


def test_timeline_shows_due_by_sent_at_acknowledged_at(uow_factory, clock) -> None:
    w = incident_school(uow_factory)
    t0 = clock.now()
    iid = report(uow_factory, w, clock)
    clock.advance(12 * MIN)
    ack(uow_factory, w.guardian, iid, clock)
    clock.advance(60 * MIN)  # 72 min: parents missed, officials sent at 60 min... by this tick
    tick(uow_factory, clock)
    with uow_factory() as uow:
        rows = timeline(uow, iid)
        got = [(r.step_no, r.person_id, r.role, r.due_by - t0, r.sent_at and r.sent_at - t0,
                r.acknowledged_at and r.acknowledged_at - t0, r.missed) for r in rows]
        assert got == [
            (1, w.guardian, "entrusted_guardian", 30 * MIN, timedelta(0), 12 * MIN, False),
            (2, w.father, "father", 60 * MIN, 12 * MIN, None, True),
            (2, w.mother, "mother", 60 * MIN, 12 * MIN, None, True),
            (3, w.bureau, "education_bureau", 120 * MIN, 72 * MIN, None, False),
            (3, w.town, "town_government", 120 * MIN, 72 * MIN, None, False),
        ]
        shown = render(timeline_prompt(uow, iid), "zh_Hans", "Asia/Shanghai")
        assert ("第1步：王奶奶0（委托监护人）— 须于2026年11月30日 09:30前联系到；"
                "发送：2026年11月30日 09:00；确认：2026年11月30日 09:12") in shown.text
        assert "张父（父亲）" in shown.text and "已超时未确认" in shown.text
        assert may_view_incident(uow, person_id=w.bureau, incident_id=iid)
        assert may_view_incident(uow, person_id=w.leader, incident_id=iid)
        assert not may_view_incident(uow, person_id=w.stranger, incident_id=iid)


def test_unreachable_guardian_falls_back_to_a_phone_task_and_the_parents(uow_factory, clock) -> None:
    w = incident_school(uow_factory)
    iid = report(uow_factory, w, clock)
    clock.advance(2 * MIN)
    with uow_factory() as uow:
        step_id = uow.session.scalar(select(IncidentStep.id).where(IncidentStep.person_id == w.guardian))
    for _ in range(2):  # the outbox may report twice; the second changes nothing
        with uow_factory() as uow:
            on_recipient_unreachable(uow, incident_step_id=step_id, now=clock.now())
            uow.commit()
    with uow_factory() as uow:
        tasks = uow.session.scalars(select(Task)).all()
        assert [(t.kind, t.assignee_id, t.about_person_id) for t in tasks] == [
            (TaskKind.PHONE_CONTACT.value, w.teacher, w.guardian)]
        assert uow.session.scalar(
            select(func.count()).select_from(IncidentEvent).where(IncidentEvent.kind == "unreachable")) == 1
        notice = uow.session.scalar(select(OutboxMessage).where(OutboxMessage.person_id == w.teacher))
        assert notice.priority == "urgent"
        assert "139 0000 0000" in render(Prompt.from_dict(notice.payload), "zh_Hans").text
    sent = keys(uow_factory)
    assert send_key(iid, 2, w.father) in sent and send_key(iid, 2, w.mother) in sent
    # No reminders to an unreachable guardian; the deadline still brings the missed notice.
    for _ in range(3):
        clock.advance(10 * MIN)
        tick(uow_factory, clock)
    assert not [k for k in keys(uow_factory) if f"person:{w.guardian}:remind" in k]
    assert f"incident:{iid}:step:1:person:{w.guardian}:missed:to:{w.teacher}" in keys(uow_factory)


def test_one_of_two_guardians_unreachable_waits_for_the_other(uow_factory, clock) -> None:
    w = incident_school(uow_factory, guardians=2)
    iid = report(uow_factory, w, clock)
    with uow_factory() as uow:
        step_id = uow.session.scalar(select(IncidentStep.id).where(IncidentStep.person_id == w.guardian))
        on_recipient_unreachable(uow, incident_step_id=step_id, now=clock.now())
        uow.commit()
    assert send_key(iid, 2, w.father) not in keys(uow_factory)


def test_child_without_guardian_goes_to_the_parents_at_once(uow_factory, clock) -> None:
    w = incident_school(uow_factory, guardians=0)
    iid = report(uow_factory, w, clock)
    assert {p for k, p, _ in outbox(uow_factory) if k.endswith(":send")} == {w.father, w.mother}
    assert {p for k, p, _ in outbox(uow_factory) if ":no_recipients:" in k} == {w.teacher, w.admin, w.leader}
    with uow_factory() as uow:
        assert uow.session.scalar(select(IncidentEvent.step_no).where(IncidentEvent.kind == "no_recipients")) == 1
    assert iid


def test_a_late_tick_catches_up_without_a_burst(uow_factory, clock) -> None:
    w = incident_school(uow_factory)
    iid = report(uow_factory, w, clock)
    clock.advance(25 * MIN)  # the worker slept through reminders 1 and 2
    tick(uow_factory, clock)
    reminders = [k for k in keys(uow_factory) if ":remind:" in k]
    assert reminders == [f"incident:{iid}:step:1:person:{w.guardian}:remind:2"]
    clock.advance(200 * MIN)  # and through everything else
    tick(uow_factory, clock)
    sent = keys(uow_factory)
    assert send_key(iid, 3, w.town) in sent
    # Sent late: one reminder interval to answer before the missed notice, not in the same run.
    guardian_missed = f"incident:{iid}:step:1:person:{w.guardian}:missed:to:{w.teacher}"
    assert [k for k in sent if ":missed:to:" in k] == [guardian_missed]
    missed_so_far = len([k for k in sent if ":missed:" in k])
    clock.advance(10 * MIN)
    tick(uow_factory, clock)
    # The officials, both missed in this run: one summary to the reporter (fix6ae).
    assert len([k for k in keys(uow_factory) if ":missed:" in k]) == missed_so_far + 1


def test_an_alert_sent_after_a_scheduler_outage_states_a_deadline_still_ahead(uow_factory, clock) -> None:
    w = incident_school(uow_factory)
    iid = report(uow_factory, w, clock)
    clock.advance(3 * 60 * MIN)  # the scheduler was down for 3 hours
    tick(uow_factory, clock)
    sent = keys(uow_factory)
    # The guardian, alerted at the report, is missed now; the parents and officials are alerted now ...
    assert f"incident:{iid}:step:1:person:{w.guardian}:missed:to:{w.teacher}" in sent
    assert {send_key(iid, n, p) for n, p in [(2, w.father), (2, w.mother), (3, w.bureau), (3, w.town)]} <= set(sent)
    # ... and not declared missed in the same run that alerted them.
    assert not [k for k in sent if ":step:2:" in k and ":missed:" in k or ":step:3:" in k and ":missed:" in k]
    with uow_factory() as uow:
        row = uow.session.scalar(select(OutboxMessage).where(OutboxMessage.key == send_key(iid, 2, w.father)))
        zh = render(Prompt.from_dict(row.payload), "zh_Hans").text
        en = render(Prompt.from_dict(row.payload), "en").text
    # fix6ae: a deadline still ahead (one reminder interval from the late alert), never one already past.
    assert en.splitlines()[-1] == "Please acknowledge by Nov 30, 2026 12:10."
    assert "请于2026年11月30日 12:10前确认收到。" in zh
    clock.advance(9 * MIN)
    tick(uow_factory, clock)
    assert not [k for k in keys(uow_factory) if ":step:2:" in k and ":missed:" in k]
    clock.advance(1 * MIN)  # one reminder interval after the late alert
    tick(uow_factory, clock)
    missed = [k for k in keys(uow_factory) if ":missed:" in k and ":task:" not in k]
    # The guardian's notice at once; the four alerted late in one summary to the reporter (fix6ae).
    assert missed[0] == f"incident:{iid}:step:1:person:{w.guardian}:missed:to:{w.teacher}"
    assert len(missed) == 2 and missed[1].startswith(f"incident:{iid}:missed:")
    assert missed[1].endswith(f":to:{w.teacher}")
    # Nobody in the whole chain answered: the admins get one summary, not five notices.
    assert sorted(k for k in keys(uow_factory) if ":chain_missed:" in k) == sorted(
        f"incident:{iid}:chain_missed:to:{p}" for p in (w.admin, w.leader))


def test_postgresql_workers_skip_each_others_claimed_steps(uow_factory, clock) -> None:
    w = incident_school(uow_factory)
    with uow_factory() as probe:
        if probe.dialect != "postgresql":
            pytest.skip("row locks are a PostgreSQL matter; SQLite serialises writers")
    report(uow_factory, w, clock)
    clock.advance(30 * MIN)
    with uow_factory() as first:
        assert run_escalations(first, now=clock.now()) > 0  # holds the row locks until commit
        with uow_factory() as second:
            assert run_escalations(second, now=clock.now()) == 0
            second.commit()
        first.commit()
    assert len([k for k in keys(uow_factory) if k.endswith(":send")]) == 3


def test_a_report_left_uncommitted_writes_nothing(uow_factory, clock) -> None:
    w = incident_school(uow_factory)
    with uow_factory() as uow:
        report_incident(uow, reporter_id=w.teacher, child_id=w.child, kind="injury", severity="minor",
                        description="擦伤", now=clock.now(), request_key="telegram:42:v9")
        # The caller fails before commit: the unit of work rolls back.
    with uow_factory() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Incident)) == 0
    assert outbox(uow_factory) == []


def test_unknown_child_or_reporter_is_refused(uow_factory, clock) -> None:
    w = incident_school(uow_factory)
    with uow_factory() as uow:
        with pytest.raises(ValueError, match="no child"):
            report_incident(uow, reporter_id=w.teacher, child_id=w.child + 100, kind="injury",
                            severity="minor", description="x", now=clock.now())
        with pytest.raises(ValueError, match="no person"):
            report_incident(uow, reporter_id=w.teacher + 100, child_id=w.child, kind="injury",
                            severity="minor", description="x", now=clock.now())


def test_one_guardian_acknowledging_stops_the_step_for_both(uow_factory, clock) -> None:
    w = incident_school(uow_factory, guardians=2)
    iid = report(uow_factory, w, clock)
    with uow_factory() as uow:
        other = uow.session.scalar(select(Person.id).where(Person.natural_key == "g1"))
    clock.advance(3 * MIN)
    assert ack(uow_factory, w.guardian, iid, clock) is AckResult.ACKNOWLEDGED
    for _ in range(6):
        clock.advance(10 * MIN)
        tick(uow_factory, clock)
    theirs = [k for k in keys(uow_factory) if f":step:1:person:{other}:" in k]
    assert theirs == [send_key(iid, 1, other)]  # no reminder, no missed notice
    assert ack(uow_factory, other, iid, clock) is AckResult.ACKNOWLEDGED  # still welcome
    with uow_factory() as uow:
        assert [r.missed for r in timeline(uow, iid) if r.step_no == 1] == [False, False]


def test_a_broken_school_policy_falls_back_to_the_default(uow_factory, clock) -> None:
    w = incident_school(uow_factory, policy={"reminder_interval_minutes": -3})
    iid = report(uow_factory, w, clock)
    assert keys(uow_factory) == [send_key(iid, 1, w.guardian)]
    with uow_factory() as uow:
        assert uow.session.get(Incident, iid).policy["reminder_interval_minutes"] == 10


def test_an_acknowledgement_before_being_alerted_changes_nothing(uow_factory, clock) -> None:
    w = incident_school(uow_factory)
    iid = report(uow_factory, w, clock)
    clock.advance(MIN)  # the father heard of it from the village and sends ack:<id> before step 2 is sent
    rows = outbox(uow_factory)
    assert ack(uow_factory, w.father, iid, clock) is AckResult.NOT_ASKED
    assert outbox(uow_factory) == rows  # the mother is not silenced, step 3 is not sent, nobody is told
    with uow_factory() as uow:
        assert uow.session.scalar(
            select(func.count()).select_from(IncidentEvent).where(IncidentEvent.kind == "acknowledged")) == 0
        assert all(s.acknowledged_at is None for s in uow.session.scalars(select(IncidentStep)))
    assert render(ack_reply(AckResult.NOT_ASKED), "en").text == (
        "Thank you — the school has not asked you to acknowledge this incident yet.")
    assert render(ack_reply(AckResult.NOT_ASKED), "zh_Hans").text == "谢谢您！学校尚未请您确认此事件。"
    clock.advance(29 * MIN)
    tick(uow_factory, clock)  # step 2 goes to both parents at 30 minutes
    assert send_key(iid, 2, w.mother) in keys(uow_factory)
    assert ack(uow_factory, w.father, iid, clock) is AckResult.ACKNOWLEDGED
    assert send_key(iid, 3, w.bureau) in keys(uow_factory)


def _forget_everyone(uow_factory, w: World) -> None:
    """The child's archive has no guardian, no parent, and the school no official."""
    with uow_factory() as uow:
        s = uow.session
        for rel in s.scalars(select(ChildRelation)):
            s.delete(rel)
        for role in s.scalars(select(PersonRole).where(PersonRole.role.in_(["education_bureau", "town_government"]))):
            s.delete(role)
        uow.commit()


def test_a_child_with_nobody_on_record_tells_the_reporter_and_admins_at_once(uow_factory, clock) -> None:
    w = incident_school(uow_factory, guardians=0)
    _forget_everyone(uow_factory, w)
    iid = report(uow_factory, w, clock)
    rows = outbox(uow_factory)
    assert sorted(p for _, p, _ in rows) == sorted([w.teacher, w.admin, w.leader])
    with uow_factory() as uow:
        notices = uow.session.scalars(select(OutboxMessage)).all()
        assert all(r.priority == "urgent" for r in notices)
        zh = render(Prompt.from_dict(notices[0].payload), "zh_Hans", "Asia/Shanghai")
        en = render(Prompt.from_dict(notices[0].payload), "en", "Asia/Shanghai")
    assert "张三" in zh.text and "受伤" in zh.text and "无人" in zh.text
    assert "nobody on record" in en.text
    for line in ("Step 1: entrusted guardians", "Step 2: parents", "Step 3: education bureau and town government"):
        assert line in en.text
    assert ("结束事件", f"close:{iid}") in zh.choices
    for _ in range(15):  # nothing else happens, and the notice is not repeated
        clock.advance(10 * MIN)
        tick(uow_factory, clock)
    assert outbox(uow_factory) == rows


def test_an_empty_step_among_others_is_told_too(uow_factory, clock) -> None:
    w = incident_school(uow_factory)
    with uow_factory() as uow:  # no parents on record
        for rel in uow.session.scalars(select(ChildRelation).where(ChildRelation.kind.in_(["father", "mother"]))):
            uow.session.delete(rel)
        uow.commit()
    iid = report(uow_factory, w, clock)
    told = {p: k for k, p, _ in outbox(uow_factory) if ":no_recipients:" in k}
    assert set(told) == {w.teacher, w.admin, w.leader}
    with uow_factory() as uow:
        row = uow.session.scalar(select(OutboxMessage).where(OutboxMessage.key == told[w.admin]))
        en = render(Prompt.from_dict(row.payload), "en").text
    assert "Step 2: parents" in en and "Step 1" not in en and "Step 3" not in en
    assert send_key(iid, 1, w.guardian) in keys(uow_factory)


def test_postgresql_two_parents_acknowledging_at_once_do_not_deadlock(uow_factory, clock) -> None:
    import threading

    with uow_factory() as probe:
        if probe.dialect != "postgresql":
            pytest.skip("concurrent row locks are a PostgreSQL matter; SQLite serialises writers")
    w = incident_school(uow_factory)
    for _ in range(25):
        iid = report(uow_factory, w, clock)
        clock.advance(30 * MIN)
        tick(uow_factory, clock)  # step 2 goes to both parents
        barrier = threading.Barrier(2)
        errors: list[BaseException] = []
        results: list[AckResult] = []

        def press(person: int, iid: int = iid, barrier: threading.Barrier = barrier,
                  results: list[AckResult] = results, errors: list[BaseException] = errors) -> None:
            try:
                with uow_factory() as uow:
                    barrier.wait(timeout=10)
                    results.append(acknowledge(uow, person_id=person, incident_id=iid, now=clock.now()))
                    uow.commit()
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=press, args=(p,)) for p in (w.father, w.mother)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        assert errors == []
        assert sorted(results) == [AckResult.ACKNOWLEDGED, AckResult.ACKNOWLEDGED]
        with uow_factory() as uow:
            acked = uow.session.scalars(select(IncidentEvent.person_id).where(
                IncidentEvent.incident_id == iid, IncidentEvent.kind == "acknowledged", IncidentEvent.step_no == 2))
            assert sorted(acked) == sorted([w.father, w.mother])
        # Step 3 was sent once, upon the first of the two acknowledgements.
        step_3 = f"incident:{iid}:step:3:"
        assert len([k for k in keys(uow_factory) if k.startswith(step_3) and k.endswith(":send")]) == 2
