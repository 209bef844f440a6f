"""A double-tapped ``1`` never confirms a new account (signed WeChat XML, the incident world).

王老师 reports an emergency about 杨秀云; the alert goes to her grandfather 张强's WeChat. Meanwhile an invite
code for 张强 is used from another WeChat (``wx-stranger``), and his old account is asked "是您本人新绑定的吗？",
waiting behind the alert. He types ``1``: the alert is acknowledged and the question is shown again. A second
``1`` (a double tap) must not confirm the stranger's account — confirming is irreversible in effect (the new
chat gets the child's alerts), so, as closing an incident, it takes typed words, never a bare number.
"""

from __future__ import annotations

from datetime import timedelta

from bot.services.invites import create_invite
from tests.handlers.wechat.test_e2e_incidents import School, _school

ASKED = "是您本人新绑定的吗？"
NOT_A_NUMBER = "为避免误操作，这个问题不能用数字回答。请输入“是我”或“不是我”。"
WAITING = ("本聊天正在等待确认：请在您原来绑定的账号上回复“是我”，或由学校电话核实后确认。"
           "在此之前，本聊天收不到任何消息，也看不到孩子的信息。")


async def _alerted_and_asked(school: School) -> None:
    """The emergency alert reaches 张强's WeChat, then the stranger binds his invite and he is asked."""
    wang, grandpa, stranger = school.writer("wang"), school.writer("zhangqiang"), school.writer("stranger")
    await grandpa("你好")  # he wrote recently: inside WeChat's 48-hour window, so he can be asked
    await wang("报告 杨秀云")
    await wang("1")  # injury
    await wang("1")  # emergency
    await wang("课间在操场摔倒，右臂肿痛，已送镇卫生院。")
    assert (await wang("1")).startswith("已报告。")
    await school.tick()
    with school.uow_factory() as uow:
        code = create_invite(uow, query="张强", now=school.clock.now(), ttl=timedelta(hours=72)).code
        uow.commit()
    greeting = await stranger(f"绑定 {code}")
    assert greeting.startswith("欢迎您，张强！")
    school.clock.advance(timedelta(minutes=1))
    await school.tick()
    alert, asked = school.received("zhangqiang")
    assert "1. 确认收到" in alert
    assert ASKED in asked and "请先回答上面的问题（杨秀云的事件通知）" in asked  # it waits behind the alert


async def test_a_double_tapped_1_after_the_alert_does_not_confirm_the_strangers_account(uow_factory, clock):
    school = _school(uow_factory, clock)
    grandpa, stranger = school.writer("zhangqiang"), school.writer("stranger")
    async with school.client:
        await _alerted_and_asked(school)
        acknowledged = await grandpa("1")
        again = acknowledged.split("还在等您回答：")[-1]
        assert ASKED in again and "“是我”" in again
        assert "1. 是我" not in again and "1. 不是我" not in again  # no number to tap twice

        refused = await grandpa("1")  # the double tap
        assert refused.splitlines()[0] == NOT_A_NUMBER
        assert ASKED in refused  # asked again, with the words to type
        await school.tick()
        assert await stranger("我的") == WAITING  # still on probation: nothing about the child

        assert await grandpa("是我本人") == "谢谢。新的微信账号已确认，现在可以使用了。"
        await school.tick()
        assert school.received("stranger")[-1].startswith("本聊天已确认。")


async def test_he_says_it_was_not_him_in_his_own_words(uow_factory, clock):
    school = _school(uow_factory, clock)
    grandpa, stranger = school.writer("zhangqiang"), school.writer("stranger")
    async with school.client:
        await _alerted_and_asked(school)
        await grandpa("收到")  # the alert
        for typed in ("好的", "收到", "是"):  # an acknowledgement, a bare yes: not the words asked for
            told = await grandpa(typed)
            assert told.splitlines()[0] == "请用文字回答：输入“是我”或“不是我”。" and ASKED in told
        assert (await grandpa("2")).splitlines()[0] == NOT_A_NUMBER
        answered = await grandpa("不是我")
        assert answered == "该微信账号已解除绑定，并已告知学校。通知仍发到本账号。"
        assert (await stranger("我的")).startswith("请先绑定账号")  # unlinked


async def test_english_words_answer_it_but_a_bare_yes_does_not(uow_factory, clock):
    school = _school(uow_factory, clock)
    grandpa = school.writer("zhangqiang")
    async with school.client:
        await _alerted_and_asked(school)
        await grandpa("1")  # the alert
        for typed in ("ok", "yes", "👍"):
            assert (await grandpa(typed)).splitlines()[0] == "请用文字回答：输入“是我”或“不是我”。"
        assert await grandpa("Yes, it's me") == "谢谢。新的微信账号已确认，现在可以使用了。"
