"""The calendar in chat: /year and /programme for admins, and a class teacher answering a programme reminder."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.domain.enums import Role
from bot.i18n import render
from bot.messages.prompt import Prompt
from bot.services import programme, programme_tasks
from bot.store.models import OutboxMessage, ProgrammeItem, ProgrammeTask
from tests.support.chat import Chat
from tests.support.school import SchoolBuilder, tiny_school

SETTINGS = Settings(database_url="sqlite://")


@pytest.fixture
def school(uow_factory):
    ids = tiny_school(uow_factory)
    with uow_factory() as uow:
        b = SchoolBuilder.__new__(SchoolBuilder)
        b.s, b._keys, b.school_id = uow.session, 100, ids.school
        admin = b.person("刘主任", Role.ADMIN)
        b.account(admin, "tg-admin")
        uow.commit()
    return ids


def test_admin_sets_and_shows_the_school_year(flows, school) -> None:
    admin = Chat(flows, "tg-admin")
    admin.send("学年")
    assert "默认学期" in admin.text and "2026年9月1日" in admin.text
    admin.send("/year 2026-09-01~2027-01-22 2027-02-24至2027-07-02")
    assert "学期已保存" in admin.text and "2027年2月24日" in admin.text and "上课日" in admin.text
    assert "默认学期" not in admin.text
    admin.send("/year 2027-03-01~2027-02-01")
    assert "结束日早于开始日" in admin.text
    admin.send("/year next september")
    assert "无法识别" in admin.text
    teacher = Chat(flows, f"tg-{school.teacher}")
    teacher.send("/year")
    assert "仅供学校管理员" in teacher.text


def test_admin_lists_and_edits_programme_items(flows, school) -> None:
    admin = Chat(flows, "tg-admin")
    admin.send("活动")
    assert "关爱活动安排（10 项）" in admin.text
    assert "春节前亲情书信周" in admin.text and "2027年1月11日开始" in admin.text  # Monday, three weeks before
    assert "letter_spring_festival" not in admin.text and "/programme 3" in admin.text  # titles and numbers
    number = re.search(r"• (\d+)\. 春节前亲情书信周", admin.text)
    assert number
    admin.send(f"/programme {number.group(1)}")
    assert admin.text.startswith(f"{number.group(1)}. 春节前亲情书信周") and "letter_spring_festival" not in admin.text
    admin.send("/programme letter_spring_festival offset=-14 time=16:00")
    assert "已保存" in admin.text and "offset=-14" in admin.text and "2027年1月18日开始" in admin.text
    admin.send("/programme letter_spring_festival time=22:30")
    assert "免打扰时段" in admin.text
    admin.send("/programme letter_spring_festival colour=red")
    assert "没有名为 colour 的字段" in admin.text
    admin.send('/programme 植树节 title="植树活动" anchor=date:03-12 role=class_teacher')
    assert "植树活动" in admin.text and "2027年3月12日开始" in admin.text


def test_a_class_teacher_is_reminded_and_answers(flows, school, uow_factory, clock) -> None:
    with uow_factory() as uow:
        programme.plan_programme(uow, now=clock.now(), timezone="Asia/Shanghai")
        uow.commit()
    clock.set(datetime(2027, 1, 8, 0, 0, tzinfo=UTC))  # Friday 8 Jan 08:00 Shanghai: three days ahead
    with uow_factory() as uow:
        assert programme_tasks.remind_programme(uow, now=clock.now(), settings=SETTINGS) == 1
        uow.commit()
        person_id, payload = uow.session.execute(select(OutboxMessage.person_id, OutboxMessage.payload).where(
            OutboxMessage.key.like("prog:task:%"))).one()
        assert person_id == school.teacher
    shown = render(Prompt.from_dict(payload), "zh_Hans", "Asia/Shanghai")
    assert shown.text.startswith("春节前亲情书信周将于2027年1月11日开始：您班上有 1 名儿童。")
    assert [label for label, _ in shown.choices] == ["已完成", "推迟", "今年不开展"]

    teacher = Chat(flows, f"tg-{school.teacher}")
    teacher.press(shown.choices[1][1])  # Postpone
    assert "推迟到哪一天" in teacher.text
    teacher.send("明天吧")
    assert "请给出今天之后" in teacher.text
    teacher.send("1月13日")
    assert "已推迟到 2027年1月13日" in teacher.text
    clock.set(datetime(2027, 1, 13, 0, 0, tzinfo=UTC))
    with uow_factory() as uow:
        assert programme_tasks.remind_programme(uow, now=clock.now(), settings=SETTINGS) == 1
        uow.commit()
    teacher.press(shown.choices[0][1])  # Done (the same task's button)
    assert "已记录" in teacher.text and "多少名儿童参加" in teacher.text
    teacher.send("1人")
    assert "已记录 1" in teacher.text
    teacher.press(shown.choices[2][1])
    assert "以第一次答复为准" in teacher.text
    Chat(flows, f"tg-{school.helper}").press(shown.choices[0][1])  # somebody else's reminder
    with uow_factory() as uow:
        task = uow.session.scalars(select(ProgrammeTask)).one()
        assert (task.status, task.count, task.reminders) == ("done", 1, 2)
        code = uow.session.get(ProgrammeItem, 1).code
    assert code == "letter_spring_festival"
