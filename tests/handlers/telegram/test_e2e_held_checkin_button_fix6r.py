"""Telegram: the old check-in button answers nothing while the child is missing (fix6r, break6 F2).

Friday 18:00 the check-in about 张三 reaches his grandfather; then 李老师 reports 张三 missing. The grandfather
acknowledges the alert, and the check-in is held until the incident is closed. Pressing "很好" on the check-in
message still above recorded "张三这周很好" while the child was missing; now the button gets what a typed 1 gets.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain.clock import ManualClock
from tests.support.all_clear_world import report_missing_on_telegram
from tests.support.botapi_double import BotApiDouble
from tests.support.e2e import button, friday_checkin, running_school, to_chat
from tests.support.school import TG

FRIDAY_17_58 = datetime(2026, 12, 4, 9, 58, tzinfo=UTC)
NOT_RECORDED = "这没有记录为张三这周情况的回答：每周问题要等张三的突发事件结束后再问。"


async def test_the_old_good_week_button_is_refused(botapi: BotApiDouble, database_url: str,
                                                   clock: ManualClock) -> None:
    clock.set(FRIDAY_17_58)
    async with running_school(botapi, database_url, clock) as bot:
        grandpa = TG["grandpa"]
        question = await friday_checkin(bot, clock, grandpa)
        await report_missing_on_telegram(bot)
        await bot.tick()
        [alert] = to_chat(botapi.take_sent(), grandpa)
        await bot.press(grandpa, button(alert, "确认收到"), 2)
        [refused] = await bot.press(grandpa, button(question, "很好"), 1)
        assert refused.text == NOT_RECORDED
        [passed_on] = await bot.say(grandpa, "孩子还没找到，我很着急", 1)  # still words for those handling it
        assert "这周很好" not in passed_on.text and "已记录" not in passed_on.text
