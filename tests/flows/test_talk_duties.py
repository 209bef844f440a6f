"""What a principal reads on /due and /report about talks: whose talk it was, in which month, from when.

Issue 9 (figures and /due): 小一 and 小二 are each paired with a helper teacher
(陈老师) and a caring-parent volunteer (赵妈妈), who each owe a weekly talk.
One talk by 陈老师 took the week off both of them on the principal's /due and
credited 赵妈妈 in /report; a week's talk counted in the month of its date when
held but in the month of its Sunday when missed (week 49, Monday 30 November
to Sunday 6 December: November if held on the 30th, December if missed) — a
week now belongs to the month of its Sunday either way; and a school that started in the
winter vacation was told January's talks were due.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.domain.clock import ManualClock
from bot.domain.enums import Role
from bot.flows.runner import FlowRunner
from bot.services.roster import import_roster
from bot.store.models import ChatAccount, Child, PersonRole
from tests.support.chat import Chat
from tests.support.figures_world import county
from tests.support.school import grant_consent

SETTINGS = Settings(database_url="sqlite://")


@pytest.fixture
def world(uow_factory):
    return county(uow_factory)


def _talk(chat: Chat, child: str) -> None:
    """A talk record card filled in as a teacher would: moods, no concern, no note, saved."""
    chat.send(f"/talk {child}")
    for label in ("好", "好", "一般", "没有", "跳过", "不需要跟进", "保存"):
        chat.tap(label)
    assert f"已保存：与{child}的谈心记录。" in chat.text


def test_a_helpers_talk_is_his_own_the_volunteer_still_owes_hers(flows, world, clock):
    clock.set(datetime(2026, 12, 1, 1, 0, tzinfo=UTC))  # Tuesday 1 December, 09:00
    principal, chen, zhao = (Chat(flows, f"tg-{p}") for p in (world.leader, world.chen, world.zhao))
    principal.send("/due")
    # December: 8 monthly talks (王老师 6, 李老师 2) and 4 weekly ones (小一 and 小二, each with 陈老师 and
    # 赵妈妈); and, overdue, November's missed monthly talks (王老师 2, 李老师 2) and weekly ones (陈老师 6,
    # 赵妈妈 8), counted as /report counts them.
    assert "全校待完成的谈心：30，其中逾期18" in principal.text
    assert "• 陈老师：8，其中逾期6" in principal.text and "• 赵妈妈：10，其中逾期8" in principal.text

    _talk(chen, "小一")

    principal.send("/due")
    assert "全校待完成的谈心：29，其中逾期18" in principal.text
    assert "• 陈老师：7，其中逾期6" in principal.text and "• 赵妈妈：10，其中逾期8" in principal.text
    zhao.send("/due")
    assert "• 小一（一年级（1）班）：每周谈心" in zhao.text and "• 小二（一年级（1）班）：每周谈心" in zhao.text
    chen.send("/due")
    # This week's talk with 小一 is held: only the weeks he missed in November remain (no deadline this week).
    mine = {line.split("：")[0]: line for line in chen.text.splitlines() if line.startswith("• ")}
    assert "逾期2周" in mine["• 小一（一年级（1）班）"] and "本周截止" not in mine["• 小一（一年级（1）班）"]
    assert "本周截止" in mine["• 小二（一年级（1）班）"]

    principal.send("/report")  # December so far: week 49 is due on Sunday
    assert "• 帮扶教师和爱心家长每周谈心：1/4 (25.0%)" in principal.text
    assert "• 陈老师：每周 1/2 (50.0%)" in principal.text
    assert "• 赵妈妈：每周 0/2 (0.0%)" in principal.text


def test_a_week_counts_in_the_month_of_its_sunday_a_monthly_talk_in_its_own_month(flows, world, clock):
    principal, chen, wang = (Chat(flows, f"tg-{p}") for p in (world.leader, world.chen, world.wang))
    _talk(chen, "小二")  # Monday 30 November 09:00: week 49, which runs to Sunday 6 December
    clock.set(datetime(2026, 11, 30, 16, 30, tzinfo=UTC))  # 00:30 on 1 December in Shanghai (still the 30th in UTC)
    _talk(wang, "小五")
    clock.set(datetime(2026, 12, 4, 2, 0, tzinfo=UTC))  # Friday 4 December 10:00, the same week 49
    _talk(chen, "小一")
    clock.set(datetime(2026, 12, 7, 1, 0, tzinfo=UTC))  # Monday 7 December 09:00

    principal.send("/report 2026-11")
    assert "2026-11" in principal.text
    # 陈老师 in November: weeks 45–48 with 小一 and 小二 (he talked with 小一 in two of them); his talk with 小二
    # on Monday the 30th is week 49's, whose Sunday is 6 December: December, as a missed week 49 would be.
    assert "• 陈老师：每周 2/8 (25.0%)" in principal.text
    assert "• 王老师（一年级（1）班）：每月 4/6 (66.7%)" in principal.text  # 小五's talk was on 1 December

    principal.send("/report 2026-12")
    # Week 49: 小二 on 30 November and 小一 on Friday 4 December; week 50 (due on Sunday the 13th) is still owed.
    assert "• 陈老师：每周 2/4 (50.0%)" in principal.text
    # 赵妈妈 missed week 49 (due on Sunday 6 December, so a December figure) and owes week 50.
    assert "• 赵妈妈：每周 0/4 (0.0%)" in principal.text
    assert "• 王老师（一年级（1）班）：每月 1/6 (16.7%)" in principal.text
    assert "• 帮扶教师和爱心家长每周谈心：2/8 (25.0%)" in principal.text


STARTED = datetime(2027, 1, 20, 2, 0, tzinfo=UTC)  # Wednesday 20 January 2027, 10:00: in the winter vacation (寒假)


def test_a_school_starting_in_the_winter_vacation_owes_nothing_for_january(uow_factory, sample_roster):
    clock = ManualClock(STARTED)
    with uow_factory() as uow:
        import_roster(uow, sample_roster, now=clock.now(), default_timezone="Asia/Shanghai")
    with uow_factory() as uow:
        for child_id in uow.session.scalars(select(Child.id)):
            grant_consent(uow.session, child_id, at=STARTED)
        principal_id = uow.session.scalar(select(PersonRole.person_id).where(PersonRole.role == Role.ADMIN.value))
        uow.session.add(ChatAccount(person_id=principal_id, channel="telegram", account_id="9001", bound_at=STARTED))
        uow.commit()
    principal = Chat(FlowRunner(uow_factory, clock, SETTINGS), "9001")
    principal.send("/year 2026-09-01~2027-01-15 2027-02-22~2027-07-02")  # the term ended on Friday 15 January
    assert "学期已保存" in principal.text or "已保存" in principal.text

    clock.set(STARTED + timedelta(days=5))  # Monday 25 January
    principal.send("/due")
    assert "谈心" not in principal.text  # January had school days, but none since the school started
    principal.send("/report")
    assert "• 班主任每月谈心：—" in principal.text and "• 帮扶教师和爱心家长每周谈心：—" in principal.text

    clock.set(datetime(2027, 2, 22, 1, 0, tzinfo=UTC))  # Monday 22 February 09:00: the spring term begins
    principal.send("/due")
    # February's monthly talks and this week's (122 + 2 × 122); January and the last vacation week were not missed.
    assert "全校待完成的谈心：366，其中逾期0" in principal.text
