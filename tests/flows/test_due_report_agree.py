"""A principal's re-trial of /due and /report (issue 9): the school's numbers are everyone's own, added up.

The re-trial found a school that started at 23:50 on 30 November charged
November's monthly talks (deadline 23:59, then 0/122 in /report), a
principal's overdue total (243) that nobody's own /due list explained, and
/report charging children whose guardian had not agreed and helpers whose
role was removed, which /due did not.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select

from bot.config import Settings
from bot.domain.clock import ManualClock
from bot.domain.enums import Role
from bot.flows.runner import FlowRunner
from bot.services import due
from bot.services.roster import import_roster
from bot.store.models import ChatAccount, Child, ChildRelation, Person, PersonRole
from tests.support.chat import Chat
from tests.support.school import grant_consent

SH = "Asia/Shanghai"
TOTAL = re.compile(r"全校待完成的谈心：(\d+)，其中逾期(\d+)")


def _school(uow_factory, sample_roster, clock: ManualClock, *, without_consent: int = 0) -> Chat:
    """The sample school imported at ``clock``'s time, every guardian agreeing then but ``without_consent``."""
    with uow_factory() as uow:
        import_roster(uow, sample_roster, now=clock.now(), default_timezone=SH)
    with uow_factory() as uow:
        children = uow.session.scalars(select(Child.id).order_by(Child.id)).all()
        for child_id in children[without_consent:]:
            grant_consent(uow.session, child_id, at=clock.now())
        principal = uow.session.scalar(select(PersonRole.person_id).where(PersonRole.role == Role.ADMIN.value))
        uow.session.add(ChatAccount(person_id=principal, channel="telegram", account_id="9001", bound_at=clock.now()))
        uow.commit()
    return Chat(FlowRunner(uow_factory, clock, Settings(database_url="sqlite://")), "9001")


def _totals(text: str) -> tuple[int, int]:
    found = TOTAL.search(text)
    assert found is not None, text
    return int(found.group(1)), int(found.group(2))


def _everyones_own(uow_factory, now: datetime) -> list[due.DueTalk]:
    """What each person of the school reads on their own /due, all together."""
    with uow_factory() as uow:
        people = uow.session.scalars(select(Person.id)).all()
        return [d for p in people for d in due.talks_due(uow, person_id=p, now=now, timezone=SH)]


def test_a_school_started_at_23_50_on_30_november_owes_nothing_for_november(uow_factory, sample_roster):
    clock = ManualClock(datetime(2026, 11, 30, 15, 50, tzinfo=UTC))  # Monday 30 November, 23:50 in Shanghai
    principal = _school(uow_factory, sample_roster, clock)
    principal.send("/due")
    assert "截止2026年11月30日 23:59" not in principal.text and "每月" not in principal.text
    # Week 49 began today, its Monday: its 244 weekly talks (122 children × helper teacher and caring parent).
    assert _totals(principal.text) == (244, 0)
    principal.send("/report 2026-11")
    assert "• 班主任每月谈心：—" in principal.text  # not 0/122: November was not owed
    assert "0/122" not in principal.text

    clock.set(datetime(2026, 12, 1, 1, 0, tzinfo=UTC))  # Tuesday 1 December, 09:00
    principal.send("/due")
    assert _totals(principal.text) == (366, 0)  # December's monthly talks now, November's not missed


def test_a_school_started_on_4_december_owes_december(uow_factory, sample_roster):
    clock = ManualClock(datetime(2026, 12, 4, 9, 58, tzinfo=UTC))  # Friday 4 December, 17:58
    principal = _school(uow_factory, sample_roster, clock)
    principal.send("/due")
    # December's 122 monthly talks (28 days left); week 49 had 3 days left and is not owed, its talks start Monday.
    assert _totals(principal.text) == (122, 0)
    clock.advance(timedelta(days=3))  # Monday 7 December, 17:58
    principal.send("/due")
    assert _totals(principal.text) == (366, 0)  # nobody is behind: week 49 was not owed
    assert sum(d.overdue for d in _everyones_own(uow_factory, clock.now())) == 0


def test_the_principals_overdue_talks_are_everyones_own_added_up(uow_factory, sample_roster):
    clock = ManualClock(datetime(2026, 11, 2, 1, 0, tzinfo=UTC))  # Monday 2 November, 09:00
    principal = _school(uow_factory, sample_roster, clock, without_consent=5)
    clock.set(datetime(2026, 12, 7, 1, 0, tzinfo=UTC))  # Monday 7 December: November and week 49 were missed
    principal.send("/due")
    count, overdue = _totals(principal.text)
    own = _everyones_own(uow_factory, clock.now())
    assert (count, overdue) == (sum(d.count for d in own), sum(len(d.missed) for d in own))
    assert 0 < overdue < count
    for line in principal.text.splitlines()[1:]:  # each person's line is what they read on their own /due
        name, n, late = re.fullmatch(r"• (.+?)(?:（.*）)?：(\d+)，其中逾期(\d+)", line).groups()
        with uow_factory() as uow:
            ids = uow.session.scalars(select(Person.id).where(Person.name == name)).all()
            theirs = [d for p in ids for d in due.talks_due(uow, person_id=p, now=clock.now(), timezone=SH)]
        assert (sum(d.count for d in theirs), sum(len(d.missed) for d in theirs)) == (int(n), int(late)), line


def test_report_owes_what_due_owes_no_consent_no_role_no_talk_owed(uow_factory, sample_roster):
    clock = ManualClock(datetime(2026, 11, 2, 1, 0, tzinfo=UTC))  # Monday 2 November, 09:00
    principal = _school(uow_factory, sample_roster, clock, without_consent=5)  # 5 guardians have not agreed
    with uow_factory() as uow:  # a helper teacher leaves the programme: her role is removed, the pairing stays
        helper = uow.session.scalar(
            select(PersonRole.person_id).join(ChildRelation, ChildRelation.person_id == PersonRole.person_id)
            .where(PersonRole.role == Role.HELPER_TEACHER.value).order_by(PersonRole.person_id).limit(1))
        name = uow.session.get(Person, helper).name
        uow.session.execute(delete(PersonRole).where(PersonRole.person_id == helper))
        uow.commit()
    clock.set(datetime(2026, 12, 7, 1, 0, tzinfo=UTC))  # Monday 7 December; nobody has talked yet
    own = _everyones_own(uow_factory, clock.now())
    monthly = sum(d.kind == "class_teacher_monthly" for d in own)
    weekly = sum(d.kind == "volunteer_weekly" for d in own)
    assert monthly == 117  # 122 children, 5 without consent
    principal.send("/due")
    assert f"• {name}：" not in principal.text

    principal.send("/report 2026-11")
    # November: the monthly talks /due lists now, and its four weeks 45–48 (Sundays 8 … 29 November) of the weekly.
    assert f"• 班主任每月谈心：0/{monthly} (0.0%)" in principal.text
    assert f"• 帮扶教师和爱心家长每周谈心：0/{4 * weekly} (0.0%)" in principal.text
    assert f"• {name}：" not in principal.text


REPORT = re.compile(r"• 班主任每月谈心：(\d+)/(\d+).*\n• 帮扶教师和爱心家长每周谈心：(\d+)/(\d+)")


def test_after_20_days_each_missed_week_is_overdue_on_every_due_and_in_report(uow_factory, sample_roster):
    """The principal's re-trial: started Friday 4 December 17:58, nobody talked for 20 days (issue 9)."""
    clock = ManualClock(datetime(2026, 12, 4, 9, 58, tzinfo=UTC))
    principal = _school(uow_factory, sample_roster, clock)
    seen = []
    for days, missed_weeks in ((3, 0), (10, 1), (17, 2), (20, 2)):  # 7, 14, 21 and 24 December
        clock.set(datetime(2026, 12, 4, 9, 58, tzinfo=UTC) + timedelta(days=days))
        principal.send("/due")
        count, overdue = _totals(principal.text)
        own = _everyones_own(uow_factory, clock.now())
        assert overdue == sum(len(d.missed) for d in own) == 244 * missed_weeks
        assert count == sum(d.count for d in own)
        principal.send("/report")  # this month so far: the running week and month are owed, not yet missed
        found = REPORT.search(principal.text)
        assert found is not None, principal.text
        monthly_met, monthly_owed, weekly_met, weekly_owed = map(int, found.groups())
        running = 122 + 244  # December's monthly talks and this week's weekly ones
        assert (monthly_owed - monthly_met) + (weekly_owed - weekly_met) == count
        assert count - running == overdue
        seen.append(overdue)
    assert seen == [0, 244, 488, 488]

    lu = Chat(principal.flows, _bind(uow_factory, "卢老师", "9002"))
    lu.send("/due")
    assert "待完成的谈心（39，其中逾期26）：" in lu.text  # 13 children: this week's and two missed weeks each
    assert ("• 杨婷（一年级（1）班）：每周谈心，逾期2周（2026年12月7日、2026年12月14日当周），"
            "本周截止2026年12月27日 23:59") in lu.text
    assert "上周也没有记录" not in lu.text
    principal.send("/due")
    assert "• 卢老师：39，其中逾期26" in principal.text


def _bind(uow_factory, name: str, account: str) -> str:
    with uow_factory() as uow:
        person = uow.session.scalar(select(Person.id).where(Person.name == name))
        uow.session.add(ChatAccount(person_id=person, channel="telegram", account_id=account,
                                    bound_at=datetime(2026, 12, 4, tzinfo=UTC)))
        uow.commit()
    return account
