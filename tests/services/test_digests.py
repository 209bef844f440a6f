"""Talks due per teacher (monthly / weekly, overdue) and the daily digest."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.config import Settings
from bot.domain.enums import Role, TalkKind, TaskKind
from bot.i18n import render
from bot.services import duties, outbox_prompts, tasks
from bot.services.delivery import drain_outbox
from bot.services.digests import plan_digests
from bot.services.due import due_by_school, talks_due
from bot.store.models import OutboxMessage, Person, PersonRole, TalkRecord
from tests.support.fakes import FakeSender
from tests.support.school import tiny_school

SETTINGS = Settings(database_url="sqlite://")
SH = "Asia/Shanghai"


def _talk(uow_factory, child_id, author_id, kind: TalkKind, period: str, at: datetime) -> None:
    with uow_factory() as uow:
        uow.session.add(TalkRecord(child_id=child_id, author_id=author_id, kind=kind.value, period=period,
                                   talked_at=at))
        uow.commit()


def _due(uow_factory, person_id, now):
    with uow_factory() as uow:
        return talks_due(uow, person_id=person_id, now=now, timezone=SH)


def test_class_teacher_owes_a_monthly_talk_overdue_when_last_month_is_missing(uow_factory, clock) -> None:
    ids = tiny_school(uow_factory)
    now = clock.now()  # Monday 2026-11-30 09:00 Shanghai
    [due] = _due(uow_factory, ids.teacher, now)
    assert (due.child_id, due.child_name, due.class_name) == (ids.child, "张小明", "三(1)班")
    assert (due.kind, due.period, due.overdue) == (TalkKind.CLASS_TEACHER_MONTHLY.value, "2026-11", True)
    assert due.due_by == datetime(2026, 11, 30, 16, 0, tzinfo=UTC)  # 1 Dec 00:00 Shanghai
    _talk(uow_factory, ids.child, ids.teacher, TalkKind.CLASS_TEACHER_MONTHLY, "2026-10", now - timedelta(days=40))
    [due] = _due(uow_factory, ids.teacher, now)
    assert not due.overdue
    _talk(uow_factory, ids.child, ids.teacher, TalkKind.CLASS_TEACHER_MONTHLY, "2026-11", now)
    assert _due(uow_factory, ids.teacher, now) == []
    # A new month (in school time) brings a new talk, not overdue.
    [due] = _due(uow_factory, ids.teacher, datetime(2026, 11, 30, 16, 0, tzinfo=UTC))
    assert (due.period, due.overdue) == ("2026-12", False)


def test_each_paired_volunteer_owes_their_own_weekly_talk(uow_factory, clock) -> None:
    ids = tiny_school(uow_factory)
    now = clock.now()
    [helper_due] = _due(uow_factory, ids.helper, now)
    assert (helper_due.kind, helper_due.period, helper_due.overdue) == (
        TalkKind.VOLUNTEER_WEEKLY.value, "2026-W49", True)
    assert helper_due.due_by == datetime(2026, 12, 6, 16, 0, tzinfo=UTC)  # Monday 7 Dec 00:00 Shanghai
    _talk(uow_factory, ids.child, ids.volunteer, TalkKind.VOLUNTEER_WEEKLY, "2026-W48", now - timedelta(days=3))
    # No start recorded: every week since 1 October is owed; the caring parent's W48 is hers, not the helper's.
    assert ["2026-W48" in d.missed for d in _due(uow_factory, ids.volunteer, now)] == [False]
    assert ["2026-W48" in d.missed for d in _due(uow_factory, ids.helper, now)] == [True]
    _talk(uow_factory, ids.child, ids.volunteer, TalkKind.VOLUNTEER_WEEKLY, "2026-W49", now)
    assert [d.open for d in _due(uow_factory, ids.volunteer, now)] == [False]  # held; only missed weeks remain
    assert [(d.period, d.overdue) for d in _due(uow_factory, ids.helper, now)] == [("2026-W49", True)]
    assert _due(uow_factory, ids.guardian, now) == []


def _plan(uow_factory, now) -> int:
    with uow_factory() as uow:
        n = plan_digests(uow, now=now, settings=SETTINGS)
        uow.commit()
        return n


def test_one_digest_a_day_at_0730_listing_what_is_due(uow_factory) -> None:
    ids = tiny_school(uow_factory)
    at_0730 = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)  # Monday 30 Nov 07:30 Shanghai
    assert _plan(uow_factory, at_0730 - timedelta(minutes=1)) == 0
    assert _plan(uow_factory, at_0730) == 3  # class teacher, helper teacher, caring parent
    assert _plan(uow_factory, at_0730 + timedelta(hours=3)) == 0
    with uow_factory() as uow:
        row = uow.session.scalar(select(OutboxMessage).where(OutboxMessage.person_id == ids.teacher))
        assert row.key == f"digest:{ids.teacher}:2026-11-30" and row.priority == "bulk"
        shown = render(outbox_prompts.prompt_of(uow, row, timezone=SH), "zh_Hans").text
    assert shown.splitlines()[0] == "今天待完成的谈心（2）："  # November's, and October's missed (issue 9)
    assert shown.splitlines()[1].startswith("• 张小明（三(1)班）：每月谈心，逾期1个月（2026年10月），本月截止")

    # Next morning: the class teacher has talked, so only the volunteers hear from us.
    _talk(uow_factory, ids.child, ids.teacher, TalkKind.CLASS_TEACHER_MONTHLY, "2026-12",
          at_0730 + timedelta(hours=20))
    assert _plan(uow_factory, at_0730 + timedelta(days=1)) == 2
    # A day whose digests were not planned before the quiet hours (21:00) skips them.
    assert _plan(uow_factory, at_0730 + timedelta(days=2, hours=14)) == 0
    assert _plan(uow_factory, at_0730 + timedelta(days=2, hours=13)) == 2


def test_school_wide_due_list_matches_each_persons(uow_factory, clock) -> None:
    ids = tiny_school(uow_factory)
    now = clock.now()
    _talk(uow_factory, ids.child, ids.volunteer, TalkKind.VOLUNTEER_WEEKLY, "2026-W48", now - timedelta(days=3))
    with uow_factory() as uow:
        from bot.services.due import due_by_person

        school_wide = due_by_person(uow, school_id=ids.school, now=now, timezone=SH)
    assert set(school_wide) == {ids.teacher, ids.helper, ids.volunteer}
    for person_id, due in school_wide.items():
        assert due == _due(uow_factory, person_id, now)


def test_a_person_whose_role_was_removed_owes_no_talks(uow_factory, clock) -> None:
    # The roster still pairs the helper with the child and the class still names the teacher,
    # but their roles are gone: /talk refuses them and /me counts 0 children, so /due and the digest agree.
    ids = tiny_school(uow_factory)
    now = clock.now()
    with uow_factory() as uow:
        for person_id in (ids.helper, ids.teacher):
            role = uow.session.scalar(select(PersonRole).where(PersonRole.person_id == person_id))
            uow.session.delete(role)
        uow.commit()
    assert _due(uow_factory, ids.helper, now) == []
    assert _due(uow_factory, ids.teacher, now) == []
    assert [d.kind for d in _due(uow_factory, ids.volunteer, now)] == [TalkKind.VOLUNTEER_WEEKLY.value]
    with uow_factory() as uow:
        from bot.services.due import due_by_person

        school_wide = due_by_person(uow, school_id=ids.school, now=now, timezone=SH)
    assert set(school_wide) == {ids.volunteer}


def test_the_admins_digest_names_the_schools_overdue_tasks_by_assignee(uow_factory) -> None:
    """Issue 9: the principal hears of the school's overdue tasks once a day (BULK: never in the quiet hours)."""
    ids = tiny_school(uow_factory)
    at_0730 = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)  # Monday 30 Nov 07:30 Shanghai
    with uow_factory() as uow:
        head = Person(school_id=ids.school, name="周校长", natural_key="staff:zhou", locale="en")
        uow.session.add(head)
        uow.session.flush()
        uow.session.add(PersonRole(person_id=head.id, role=Role.SCHOOL_LEADER.value))
        for n in range(2):
            tasks.create(uow, key=f"t:{n}", kind=TaskKind.HELP_REQUEST.value, assignee_id=ids.helper,
                         child_id=ids.child, now=at_0730 - timedelta(days=2))
        tasks.create(uow, key="t:teacher", kind=TaskKind.HELP_REQUEST.value, assignee_id=ids.teacher,
                     child_id=ids.child, now=at_0730 - timedelta(days=3))
        tasks.create(uow, key="t:later", kind=TaskKind.TALK_FOLLOW_UP.value, assignee_id=ids.teacher,
                     child_id=ids.child, now=at_0730)  # not overdue: not counted
        uow.commit()
        head_id = head.id
    assert _plan(uow_factory, at_0730 - timedelta(hours=1)) == 0  # 06:30: still the quiet hours' side
    assert _plan(uow_factory, at_0730) == 4  # class teacher, helper teacher, caring parent, principal
    assert _plan(uow_factory, at_0730 + timedelta(hours=3)) == 0  # once a day
    with uow_factory() as uow:
        row = uow.session.scalar(select(OutboxMessage).where(OutboxMessage.person_id == head_id))
        assert row.key == f"digest:{head_id}:2026-11-30" and row.priority == "bulk"
        prompt = outbox_prompts.prompt_of(uow, row, timezone=SH)
        teacher = uow.session.scalar(select(OutboxMessage).where(OutboxMessage.person_id == ids.teacher))
        teacher_sees = render(outbox_prompts.prompt_of(uow, teacher, timezone=SH), "zh_Hans").text
    assert render(prompt, "zh_Hans").text == "全校逾期任务：3项（李老师 2、王老师 1）\n发送 /tasks 按负责人查看。"
    assert render(prompt, "en").text.startswith("Overdue tasks at the school: 3 (李老师 2, 王老师 1)")
    assert "全校逾期任务" not in teacher_sees  # the teachers' digests keep to their own


def test_a_digest_is_worded_when_sent_and_a_talk_held_since_the_morning_drops_out(uow_factory) -> None:
    """Issue 7: the outbox holds a reference; the sender words the digest with what is still due."""
    ids = tiny_school(uow_factory)
    at_0730 = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)  # Monday 30 Nov 07:30 Shanghai
    assert _plan(uow_factory, at_0730) == 3
    # 李老师 holds this week's talk at 08:00 (but not last week's), 赵妈妈 this week's and last week's.
    _talk(uow_factory, ids.child, ids.helper, TalkKind.VOLUNTEER_WEEKLY, "2026-W49", at_0730 + timedelta(minutes=30))
    for week in ("2026-W48", "2026-W49"):
        _talk(uow_factory, ids.child, ids.volunteer, TalkKind.VOLUNTEER_WEEKLY, week, at_0730 + timedelta(minutes=30))
    sender = FakeSender()
    asyncio.run(drain_outbox(uow_factory, {sender.channel: sender}, now=at_0730 + timedelta(minutes=35),
                             settings=SETTINGS))
    teacher = [render(s.prompt, s.locale).text for s in sender.to(f"tg-{ids.teacher}")]
    assert [t.splitlines()[0] for t in teacher] == ["今天待完成的谈心（2）："]
    assert "本月截止" in teacher[0]  # the deadline of the day it was planned
    # The helper's talk is held: only missed weeks are left, which call for no morning message; so for 赵妈妈.
    assert sender.to(f"tg-{ids.helper}") == [] and sender.to(f"tg-{ids.volunteer}") == []
    with uow_factory() as uow:
        rows = {r.person_id: r for r in uow.session.scalars(select(OutboxMessage))}
        assert rows[ids.helper].cancelled_at is not None and rows[ids.helper].sent_at is None
        assert rows[ids.teacher].sent_at is not None


def test_the_people_planned_a_digest_are_those_with_a_talk_still_to_hold(uow_factory, clock) -> None:
    """``duties.owing_now`` (SQL) picks exactly the people ``/due`` gives an open talk, as talks are held."""
    ids = tiny_school(uow_factory)
    now = clock.now()

    def both() -> tuple[set[int], set[int]]:
        with uow_factory() as uow:
            owing = duties.owing_now(uow, {ids.school: SH}, now).get(ids.school, set())
            due = due_by_school(uow, schools={ids.school: SH}, now=now).get(ids.school, {})
        return owing, {p for p, items in due.items() if any(t.open for t in items)}

    assert both() == ({ids.teacher, ids.helper, ids.volunteer},) * 2
    _talk(uow_factory, ids.child, ids.helper, TalkKind.VOLUNTEER_WEEKLY, "2026-W49", now)
    _talk(uow_factory, ids.child, ids.teacher, TalkKind.VOLUNTEER_WEEKLY, "2026-W49", now)  # not his duty's kind
    assert both() == ({ids.teacher, ids.volunteer},) * 2
    _talk(uow_factory, ids.child, ids.teacher, TalkKind.CLASS_TEACHER_MONTHLY, "2026-10", now)  # an old month
    assert both() == ({ids.teacher, ids.volunteer},) * 2
    _talk(uow_factory, ids.child, ids.teacher, TalkKind.CLASS_TEACHER_MONTHLY, "2026-11", now)
    _talk(uow_factory, ids.child, ids.volunteer, TalkKind.VOLUNTEER_WEEKLY, "2026-W49", now)
    assert both() == (set(), set())
