"""Retention and deletion (issue 10, item 4): the daily purge through the scheduler tick, and ``guanai erase``.

Time moves with the injected clock; every purge runs from ``tick`` as the
running bot's scheduler would, and a second tick the same day changes nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

import bot.bootstrap
from bot.bootstrap import Container, build, tick
from bot.cli import main
from bot.config import Settings
from bot.domain.clock import ManualClock
from bot.domain.enums import IncidentKind, Severity, TalkKind
from bot.domain.privacy import ConsentDecision
from bot.services import consent, incident_close, incidents, talks
from bot.store.models import AuditEntry, Checkin, Child, ChildRelation, Incident, OutboxMessage, TalkRecord
from tests.support.fakes import FakeSender
from tests.support.school import chain_school

MONDAY = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # Monday 09:00 school time


@pytest.fixture
def container(database_url: str) -> Iterator[Container]:
    c = build(Settings(database_url=database_url), clock=ManualClock(MONDAY))
    yield c
    c.engine.dispose()


def run_tick(c: Container) -> dict[str, int]:
    report = asyncio.run(tick(c, {"telegram": FakeSender()}))
    assert report.errors == []
    return report.counts


def _records(c: Container) -> tuple[int, int]:
    """A talk with a note and a closed incident about 张三; returns (school ids, incident id)."""
    school = chain_school(c.uow, c.clock.now())
    with c.uow() as uow:
        talks.log_talk(uow, author_id=school.people["li"], child_id=school.zhang_san,
                       kind=TalkKind.CLASS_TEACHER_MONTHLY, mood="poor", study="good", daily_life="fair",
                       safety_concern=False, note="想妈妈，晚上睡不好。", follow_up=True, now=c.clock.now(),
                       request_key="t1")
        incident_id = incidents.report_incident(uow, reporter_id=school.people["li"], child_id=school.zhang_san,
                                                kind=IncidentKind.INJURY.value, severity=Severity.MINOR.value,
                                                description="操场上摔伤了手臂。", now=c.clock.now())
        uow.commit()
    return school, incident_id


def _close(c: Container, school, incident_id: int) -> None:
    with c.uow() as uow:
        incident_close.close_incident(uow, person_id=school.people["li"], incident_id=incident_id,
                                      now=c.clock.now(), outcome="safe_at_home")
        uow.commit()


def test_a_child_who_left_is_erased_three_years_later_keeping_the_counts(container) -> None:
    c = container
    school, incident_id = _records(c)
    _close(c, school, incident_id)
    with c.uow() as uow:  # the new roster no longer lists 张三
        uow.session.get(Child, school.zhang_san).active = False
        uow.commit()
    assert run_tick(c)["purge_expired"] >= 1  # the day the child is first seen gone
    assert run_tick(c)["purge_expired"] == 0  # once a day
    with c.uow() as uow:
        child = uow.session.get(Child, school.zhang_san)
        assert child.left_at == MONDAY and child.name == "张三"

    c.clock.set(MONDAY + timedelta(days=3 * 365 - 1))
    run_tick(c)
    with c.uow() as uow:
        assert uow.session.get(Child, school.zhang_san).name == "张三"  # not yet
    c.clock.set(MONDAY + timedelta(days=3 * 365 + 1))
    run_tick(c)
    with c.uow() as uow:
        s = uow.session
        child = s.get(Child, school.zhang_san)
        assert (child.name, child.student_no, child.class_id) == ("—", f"erased-{child.id}", school.class_id)
        assert child.erased_at is not None and child.address is None
        assert s.scalars(select(ChildRelation).where(ChildRelation.child_id == child.id)).all() == []
        (talk,) = s.scalars(select(TalkRecord).where(TalkRecord.child_id == child.id)).all()
        assert (talk.note, talk.mood, talk.kind, talk.period) == (None, None, "class_teacher_monthly", "2026-11")
        incident = s.get(Incident, incident_id)
        assert (incident.description, incident.kind) == ("—", "injury")
        # 李四, still at school, keeps everything.
        assert s.get(Child, school.li_si).name == "李四"


def test_checkin_texts_old_messages_and_old_audit_entries_expire(container) -> None:
    c = container
    school, incident_id = _records(c)
    _close(c, school, incident_id)
    with c.uow() as uow:
        uow.session.add(Checkin(child_id=school.zhang_san, guardian_id=school.people["grandpa"], period="2026-W49",
                                sent_at=MONDAY, reminder_due_at=MONDAY, answered_at=MONDAY, answer="needs_help",
                                follow_up_text="腿疼，想请老师帮忙买药。"))
        uow.commit()
    run_tick(c)  # sends what is queued
    with c.uow() as uow:
        assert uow.session.scalar(select(func.count(OutboxMessage.id))) > 0
        assert uow.session.scalar(select(func.count(AuditEntry.id))) == 0  # (audit comes from the flows)
        uow.session.add(AuditEntry(at=MONDAY, actor_id=school.people["admin"], action="view_incident",
                                   child_id=school.zhang_san, channel="telegram"))
        uow.commit()
    c.clock.set(MONDAY + timedelta(days=91))
    run_tick(c)
    with c.uow() as uow:
        s = uow.session
        assert s.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.created_at <= MONDAY)) == 0
        assert s.scalar(select(Checkin.follow_up_text)) is not None  # 12 months
    c.clock.set(MONDAY + timedelta(days=366))
    run_tick(c)
    with c.uow() as uow:
        assert uow.session.scalar(select(Checkin.follow_up_text)) is None
        assert uow.session.scalar(select(Checkin.answer)) == "needs_help"  # the count stays
        assert uow.session.scalar(select(func.count(AuditEntry.id))) == 1
    c.clock.set(MONDAY + timedelta(days=3 * 365 + 1))
    run_tick(c)
    with c.uow() as uow:
        assert uow.session.scalar(select(func.count(AuditEntry.id))) == 0


def test_a_withdrawal_clears_the_care_records_at_the_next_purge_unless_an_incident_is_open(container) -> None:
    c = container
    school, incident_id = _records(c)
    run_tick(c)
    with c.uow() as uow:
        consent.record(uow, child_ids=[school.zhang_san], decision=ConsentDecision.WITHDRAWN, channel="telegram",
                       now=c.clock.now(), person_id=school.people["grandpa"])
        uow.commit()
    c.clock.advance(timedelta(days=1))
    run_tick(c)
    with c.uow() as uow:  # the open incident holds it back
        assert uow.session.scalar(select(TalkRecord.note)) == "想妈妈，晚上睡不好。"
    _close(c, school, incident_id)
    c.clock.advance(timedelta(days=1))
    run_tick(c)
    with c.uow() as uow:
        talk = uow.session.scalars(select(TalkRecord)).one()
        assert (talk.note, talk.mood, talk.study) == (None, None, None)
        assert uow.session.get(Incident, incident_id).description == "操场上摔伤了手臂。"  # a legal duty: kept
        assert uow.session.get(Child, school.zhang_san).name == "张三"  # name and class stay


def test_guanai_erase_is_refused_while_an_incident_is_open_and_asks_for_the_name(
    container, database_url, monkeypatch, capsys
) -> None:
    c = container
    school, incident_id = _records(c)
    monkeypatch.setenv("GUANAI_DATABASE_URL", database_url)
    monkeypatch.setenv("GUANAI_DEFAULT_LOCALE", "zh_Hans")
    monkeypatch.setattr(bot.bootstrap, "SystemClock", lambda: c.clock)
    assert main(["erase", "张三", "--yes"]) == 1
    assert "张三有未结束的突发事件：请先结束，再删除档案。" in capsys.readouterr().err
    _close(c, school, incident_id)

    monkeypatch.setattr("builtins.input", lambda _prompt: "李四")  # the wrong name: nothing happens
    assert main(["erase", "E001"]) == 1
    assert "未确认：没有删除任何内容。" in capsys.readouterr().err
    monkeypatch.setattr("builtins.input", lambda _prompt: "张三")
    assert main(["erase", "E001"]) == 0
    out = capsys.readouterr().out
    assert "只保留学校统计所需的数量" in out and f"已删除：儿童 #{school.zhang_san} 的档案。" in out
    with c.uow() as uow:
        assert uow.session.get(Child, school.zhang_san).name == "—"
        (entry,) = uow.session.scalars(select(AuditEntry).where(AuditEntry.action == "erased")).all()
        assert (entry.actor_id, entry.child_id, entry.channel) == (None, school.zhang_san, "cli")
    assert main(["erase", "张三", "--yes"]) == 1  # gone: no child by that name any more
