"""Slips of the finger over signed WeChat XML (issue 6 item 3): ``帮主``, ``/hlep`` and numbers, no buttons.

The grandfather 张强 has this week's check-in about 杨秀云 waiting in his chat (numbers 1–3).
"""

from __future__ import annotations

from tests.handlers.wechat.test_e2e_incidents import _school
from tests.handlers.wechat.test_e2e_natural import _acknowledged, _alert, _answer, _checkin_waiting

CHECKIN = "杨秀云这周过得怎么样？"


async def test_a_slip_is_asked_about_and_its_one_runs_the_command_then_the_checkin_takes_its_numbers(
        uow_factory, clock):
    school = _school(uow_factory, clock)
    checkin = _checkin_waiting(school, "zhangqiang", school.world.xiuyun, "杨秀云")
    async with school.client:
        await school.tick()
        grandfather = school.writer("zhangqiang")
        asked = await grandfather("帮主")
        assert asked.startswith("您是想发送“帮助”吗？") and "1. 是  2. 否" in asked and CHECKIN not in asked
        listed = await grandfather("1")
        assert listed.startswith("我可以帮您：") and "/talk" not in listed
        assert listed.split("还在等您回答：")[1].strip().startswith(f"{CHECKIN}\n1. 很好  2. 一般  3. 需要帮助")
        assert _answer(school, checkin) is None  # the 1 ran 帮助: it answered no check-in
        wrong = await grandfather("/hlep")
        assert wrong.startswith("没有 /hlep 这个命令。您是想用 /help 吗？") and CHECKIN in wrong
        thanks = await grandfather("1")
        assert thanks.startswith("谢谢！已记录：杨秀云这周很好。")
    assert _answer(school, checkin) is not None


async def test_a_mistyped_command_at_an_alert_is_no_answer_to_it(uow_factory, clock):
    """``/hlep`` asks the bot something: it is not relayed to the reporter as the grandfather's answer."""
    school = _school(uow_factory, clock)
    _checkin_waiting(school, "zhangqiang", school.world.xiuyun, "杨秀云")
    async with school.client:
        await _alert(school, "课间在操场摔倒，右臂肿痛，已送镇卫生院。")
        grandfather = school.writer("zhangqiang")
        wrong = await grandfather("/hlep")
        assert wrong.startswith("没有 /hlep 这个命令。您是想用 /help 吗？") and "1. 确认收到" in wrong
        assert not _acknowledged(school, "zhangqiang")
        assert (await grandfather("收到")).startswith("谢谢：已记录您对杨秀云事件通知的确认。")
        await school.tick()
    assert not any("/hlep" in text for text in school.received("wang"))
