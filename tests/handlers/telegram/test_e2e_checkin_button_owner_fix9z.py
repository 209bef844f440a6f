"""Telegram: a check-in button never tells its presser that an incident about the child is open (fix9z).

A breaker: after 李老师 reported 张三 as 疑似虐待或忽视, (a) his grandfather — the family the report is kept away
from — tapped "一般" on his old check-in message and read "…每周问题要等张三的突发事件结束后再问"; (b) another
account sent ``ci:<his check-in id>:g`` (ids are sequential) and read the same sentence, with the child's name.
Now the family's button is answered as usual, and a check-in sent to someone else is "这个按钮已经失效了。".
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain.clock import ManualClock
from tests.support.all_clear_world import report_missing_on_telegram
from tests.support.botapi_double import BotApiDouble
from tests.support.e2e import E2EBot, button, friday_checkin, running_school
from tests.support.school import TG

FRIDAY_17_58 = datetime(2026, 12, 4, 9, 58, tzinfo=UTC)
STALE = "这个按钮已经失效了。"


async def _abuse_report(bot: E2EBot) -> None:
    li = TG["li"]
    [kind] = await bot.say(li, "/incident 张三", 1)
    [describe] = await bot.press(li, button(kind, "疑似虐待或忽视（成人所为）"), 1)
    [confirm] = await bot.say(li, "孩子身上有多处淤青，说是爷爷打的。", 1)
    await bot.press(li, button(confirm, "立即报告"), 1)


async def test_the_accused_grandfather_presses_his_old_button(botapi: BotApiDouble, database_url: str,
                                                             clock: ManualClock) -> None:
    clock.set(FRIDAY_17_58)
    async with running_school(botapi, database_url, clock) as bot:
        grandpa = TG["grandpa"]
        question = await friday_checkin(bot, clock, grandpa)
        await bot.press(grandpa, button(question, "很好"), 2)  # answered as usual: recorded
        await bot.say(grandpa, "跳过", 1)
        await _abuse_report(bot)
        await bot.tick()
        botapi.take_sent()
        [again] = await bot.press(grandpa, button(question, "一般"), 1)  # the same, genuine old message
        assert "突发事件" not in again.text and "张三" not in again.text, again.text
        assert again.text == "您已经回答过本周的联系了，以第一次回答为准。", again.text


async def test_the_accused_grandfather_answers_his_check_in(botapi: BotApiDouble, database_url: str,
                                                            clock: ManualClock) -> None:
    clock.set(FRIDAY_17_58)
    async with running_school(botapi, database_url, clock) as bot:
        grandpa = TG["grandpa"]
        question = await friday_checkin(bot, clock, grandpa)
        await _abuse_report(bot)
        await bot.tick()
        botapi.take_sent()
        pressed = await bot.press(grandpa, button(question, "很好"), 2)
        assert "已记录：张三这周很好" in pressed[0].text, pressed[0].text
        assert all("突发事件" not in (m.text or "") for m in pressed)


async def test_a_stranger_forges_a_check_in_id_after_an_abuse_report(botapi: BotApiDouble, database_url: str,
                                                                     clock: ManualClock) -> None:
    clock.set(FRIDAY_17_58)
    async with running_school(botapi, database_url, clock) as bot:
        question = await friday_checkin(bot, clock, TG["grandpa"])
        checkin_id = button(question, "很好").split(":")[1]
        await _abuse_report(bot)
        await bot.tick()
        botapi.take_sent()
        [forged] = await bot.press(TG["bureau"], f"ci:{checkin_id}:g", 1)  # the education bureau, a staff account
        assert forged.text == STALE, forged.text


async def test_a_stranger_forges_a_check_in_id_while_the_child_is_missing(
        botapi: BotApiDouble, database_url: str, clock: ManualClock) -> None:
    clock.set(FRIDAY_17_58)
    async with running_school(botapi, database_url, clock) as bot:
        question = await friday_checkin(bot, clock, TG["grandpa"])
        checkin_id = button(question, "很好").split(":")[1]
        await report_missing_on_telegram(bot)
        await bot.tick()
        botapi.take_sent()
        [forged] = await bot.press(TG["father"], f"ci:{checkin_id}:g", 1)  # his father: not the check-in's guardian
        assert forged.text == STALE, forged.text
