"""A family member with no child on record who types 救命 is still told what to do now (issue 6 follow-up)."""

from __future__ import annotations

from bot.domain.enums import Role
from tests.support.chat import Chat
from tests.support.school import SchoolBuilder


def test_a_grandfather_whose_grandchild_left_the_school_still_gets_120_and_110(flows, uow_factory, clock):
    with uow_factory() as uow:  # 刘奶奶's grandchild left the school: she looks after no child on record
        b = SchoolBuilder(uow.session, "青山村小学")
        b.account(b.person("刘奶奶", Role.GUARDIAN), "2999", bound_at=clock.now())
        uow.commit()
    chat = Chat(flows, "2999")
    chat.send("救命")
    assert chat.text.startswith("紧急情况请马上拨打120（急救）或110（报警）。")
    assert "请马上给学校打电话" in chat.text
    chat.send("孩子发高烧抽筋了")
    assert chat.text.startswith("如果有人生病或受伤，请马上拨打120叫救护车。")
    chat.send("收到")
    assert "120" not in chat.text
