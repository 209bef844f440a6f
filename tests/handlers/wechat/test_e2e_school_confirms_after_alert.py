"""A teacher's double-tapped ``1`` never confirms a guardian's new account (signed WeChat XML, the incident world).

袁老师 reports an emergency about 杨秀云; 王老师, her class teacher, is told in WeCom. Meanwhile an invite
code for 张强, the girl's grandfather, is used from another WeChat (``wx-stranger``), and the school is asked
to phone him, then confirm or refuse the new account. Confirming gives that chat the child's alerts, so, as
the grandfather's own 是我 (fix9ab), the school's answer takes the typed words 确认绑定, never a bare number:
a ``1`` typed twice in a busy morning must not confirm a stranger (fix9ac). 拒绝 is words as well.
"""

from __future__ import annotations

from datetime import timedelta

from bot.services.invites import create_invite
from tests.handlers.wechat.test_e2e_incidents import School, _school

ASKED = "请致电张强（138 0013 6956）核实是否本人操作，再在这里回复。"
WORDS = "为避免误操作，请用文字回答，不能用数字：请输入“确认绑定”或“拒绝”。"
NOT_A_NUMBER = "为避免误操作，这个问题不能用数字回答。请输入“确认绑定”或“拒绝”。"
WAITING = ("本聊天正在等待确认：请在您原来绑定的账号上回复“是我”，或由学校电话核实后确认。"
           "在此之前，本聊天收不到任何消息，也看不到孩子的信息。")


async def _reported_and_asked(school: School) -> None:
    """袁老师's emergency report reaches 王老师; then the stranger binds 张强's invite and the school is asked."""
    yuan, stranger = school.writer("yuan"), school.writer("stranger")
    await yuan("报告 杨秀云")
    await yuan("1")  # injury
    await yuan("1")  # emergency
    await yuan("课间在操场摔倒，右臂肿痛，已送镇卫生院。")
    assert (await yuan("1")).startswith("已报告。")
    await school.tick()
    with school.uow_factory() as uow:
        code = create_invite(uow, query="张强", now=school.clock.now(), ttl=timedelta(hours=72)).code
        uow.commit()
    assert (await stranger(f"绑定 {code}")).startswith("欢迎您，张强！")
    school.clock.advance(timedelta(minutes=1))
    await school.tick()
    alert, asked = school.received("wang")
    assert alert.startswith("袁老师报告了您班上（一年级（1）班）杨秀云的突发事件")
    assert ASKED in asked and asked.endswith(WORDS)  # the words to type, and no numbered line
    assert "1. 确认" not in asked and "2. 拒绝" not in asked


async def test_a_double_tapped_1_does_not_confirm_the_strangers_account(uow_factory, clock):
    school = _school(uow_factory, clock)
    wang, stranger = school.writer("wang"), school.writer("stranger")
    async with school.client:
        await _reported_and_asked(school)
        for _tap in range(2):  # the double tap
            refused = await wang("1")
            assert refused.splitlines()[0] == NOT_A_NUMBER and ASKED in refused  # asked again
        told = await wang("确认")  # a bare acknowledgement (确认收到) is not the words asked for either
        assert told.splitlines()[0] == "请用文字回答：输入“确认绑定”或“拒绝”。"
        await school.tick()
        assert await stranger("我的") == WAITING  # still on probation: nothing about the child

        # She phoned him: it was him, on a new phone. She types the words shown.
        assert await wang("确认绑定") == "已确认张强的微信账号。"
        await school.tick()
        assert school.received("stranger")[-1] == "学校已确认本聊天。发送 /help 查看可以做的事。"
        assert (await stranger("我的")).splitlines()[:2] == ["您的信息：", "姓名：张强"]


async def test_she_refuses_in_words_after_phoning(uow_factory, clock):
    school = _school(uow_factory, clock)
    wang, stranger = school.writer("wang"), school.writer("stranger")
    async with school.client:
        await _reported_and_asked(school)
        assert (await wang("2")).splitlines()[0] == NOT_A_NUMBER
        assert await wang("不是本人") == "已拒绝：张强的这个微信账号已解除绑定。"
        assert (await stranger("我的")).startswith("请先绑定账号")  # unlinked
