"""Access: an official, a guardian and another class's teacher try every case-work command (deny by default)."""

from __future__ import annotations

import pytest

from bot.domain.enums import Role
from bot.store.models import Child
from tests.support.chat import Chat
from tests.support.school import ACCOUNTS, SchoolBuilder, small_school

COMMANDS = ["/card 李四", "档案 李四", "/talks 李四", "谈心记录李四",
            "/plan 李四", "方案 李四", "/aid 李四", "资助李四"]


@pytest.fixture
def school(uow_factory, clock):
    ids = small_school(uow_factory, clock.now())
    with uow_factory() as uow:
        b = SchoolBuilder.__new__(SchoolBuilder)
        b.s, b._keys, b.school_id = uow.session, 100, ids.school_id
        official = b.person("镇干部", Role.TOWN_GOVERNMENT, key="official:town")
        b.account(official, "4001", bound_at=clock.now())
        uow.session.get(Child, ids.li_si).address = "青山村1组"
        uow.commit()
    return ids


@pytest.mark.parametrize("who", ["official", "grandpa", "wang", "chen"])
def test_nobody_outside_the_childs_circle_sees_anything(flows, school, who):
    account = "4001" if who == "official" else ACCOUNTS[who]
    chat = Chat(flows, account)
    for command in COMMANDS:
        chat.send(command)
        assert "青山村1组" not in chat.text and "李四的档案" not in chat.text, command
        # A keyword glued to the name of a child out of their sight is no command (issue 6.3): text, as any other.
        # A guardian's staff command words without the slash are a message, passed on (conv6s: intent.STAFF_ONLY);
        # with a name (方案 李四) "that command is for teachers", the same for any name (fix6al).
        assert (" " not in command or "没有找到" in chat.text or "请" in chat.text or "不能" in chat.text
                or (who == "grandpa" and not command.startswith("/")
                    and ("留言" in chat.text or chat.text.startswith("这个命令是给孩子的老师用的")))), (
                    command, chat.text)
    chat.send("/tasks")
    assert chat.text.splitlines()[0] == ("您没有任务：各校的任务由学校教职工完成。发送 /report（统计）查看各校情况。"
                                         if who == "official" else "您没有未完成的任务。")  # an official owes none
    chat.send("/card")
    assert "一人一档" not in chat.text or who == "wang"  # a class teacher sees their own class only
