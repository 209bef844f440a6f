"""The set-ups the all-clear tests share: an open incident about a missing or hurt child, then the family's words.

Three ways in, one story (the demo's people are the sample roster's; Telegram's :mod:`tests.support.school`;
WeChat's :mod:`tests.support.incident_world`):

* the demo (:func:`tests.support.demo.run_demo`): 王老师 reports 杨秀云 missing, an emergency, at once
  (:data:`REPORTED_MISSING`); two minutes on, her grandfather 张强 (``#43``) confirms the alert with its
  number (:data:`MISSING_XIUYUN`); :func:`grandfather_says` then types his words;
* Telegram (:mod:`tests.support.e2e`): 李老师 reports 张三 missing (:func:`report_missing_on_telegram`),
  张爷爷 confirms the alert (:func:`alert_confirmed_on_telegram`) and writes that he is fine
  (:func:`all_clear_on_telegram`);
* WeChat (signed XML, :mod:`tests.handlers.wechat.test_e2e_incidents`): 王老师 reports 杨秀云 by the numbers
  (:func:`report_on_wechat`), on Friday before the check-in's question too (:func:`wechat_checkin_after_alert`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, NamedTuple

from tests.handlers.wechat.test_e2e_agenda import plan_friday_checkins
from tests.handlers.wechat.test_e2e_incidents import School, _school
from tests.support.botapi_double import BotApiDouble, SentMessage
from tests.support.demo import run_demo
from tests.support.e2e import E2EBot, button, to_chat
from tests.support.school import TG

# -- the demo ----------------------------------------------------------------------------------------------------

FRIDAY = "2026-12-04 17:58"  # the check-in goes out at 18:00
AFTERNOON = "2026-12-02 16:00"  # a Wednesday: no check-in
REPORTED_MISSING = "报告 杨秀云\n3\n1\n放学后没回家\n1\n"
"""王老师 reports 杨秀云 missing (3), an emergency (1), after school, at once (1)."""
MISSING_XIUYUN = f"{REPORTED_MISSING}:wait 2m\n:as #43\n1\n"
"""… and two minutes on, her grandfather 张强 confirms the alert with its number."""
BOTH_MISSING = (":as 张老师\n报告 刘帅\n3\n1\n放学后没回家\n1\n报告 刘婷婷\n3\n1\n放学后没回家\n1\n:wait 2m\n"
                ":as 李雪\n1\n1\n")
"""张老师 reports 刘帅 and his sister 刘婷婷 missing; their guardian 李雪 confirms both alerts."""


def grandfather_says(monkeypatch, tmp_path, sample_roster, words: str, *extra: str, at: str = AFTERNOON) -> str:
    """The demo's output of :data:`MISSING_XIUYUN`, then 张强's ``words`` (``extra``: more demo arguments)."""
    return run_demo(monkeypatch, tmp_path, sample_roster, f"{MISSING_XIUYUN}{words}\n/quit\n", at, "--all", *extra)


# -- Telegram -----------------------------------------------------------------------------------------------------

async def report_missing_on_telegram(bot: E2EBot) -> SentMessage:
    """李老师 reports 张三 missing and sends it at once; the "describe" question (missing: severity never asked)."""
    li = TG["li"]
    [kind] = await bot.say(li, "/incident 张三", 1)
    [describe] = await bot.press(li, button(kind, "走失"), 1)
    [confirm] = await bot.say(li, "午休后没有回教室，校园内没有找到。", 1)
    await bot.press(li, button(confirm, "立即报告"), 1)
    return describe


async def alert_confirmed_on_telegram(bot: E2EBot, botapi: BotApiDouble) -> None:
    """:func:`report_missing_on_telegram`, the tick that alerts 张爷爷, and his "确认收到"."""
    await report_missing_on_telegram(bot)
    await bot.tick()
    [alert] = to_chat(botapi.take_sent(), TG["grandpa"])
    await bot.press(TG["grandpa"], button(alert, "确认收到"), 1)


async def all_clear_on_telegram(bot: E2EBot, botapi: BotApiDouble) -> SentMessage:
    """张爷爷 writes ``张三没事了``; after the tick, the message 李老师 reads quoting it."""
    await bot.say(TG["grandpa"], "张三没事了", 1)
    await bot.tick()
    [all_clear] = [m for m in to_chat(botapi.take_sent(), TG["li"]) if "“张三没事了”" in (m.text or "")]
    return all_clear


# -- WeChat -------------------------------------------------------------------------------------------------------

Writer = Callable[[str], Awaitable[str]]


async def report_on_wechat(wang: Writer, kind: str, words: str) -> None:
    """王老师 reports 杨秀云 on WeCom by the numbers: ``kind`` ("1" injury, "3" missing), an emergency, at once."""
    await wang("报告 杨秀云")
    await wang(kind)
    await wang("1")  # emergency
    await wang(words)
    assert (await wang("1")).startswith("已报告。")


class CheckinAfterAlert(NamedTuple):
    """What :func:`wechat_checkin_after_alert` hands a test."""

    school: School
    grandpa: Writer
    wang: Writer
    acked: str  # the grandfather's reply to his "1" that confirmed the alert


@asynccontextmanager
async def wechat_checkin_after_alert(uow_factory: Any, clock: Any) -> AsyncIterator[CheckinAfterAlert]:
    """Friday 18:00 on WeChat, the check-ins planned: 杨秀云 hurt on her way home, reported; 张强 confirms by "1".

    The alert is asked before the check-in, so his "1" confirms it and the check-in's question follows.
    """
    school = _school(uow_factory, clock)
    grandpa, wang = school.writer("zhangqiang"), school.writer("wang")
    assert plan_friday_checkins(uow_factory, clock) >= 1
    async with school.client:
        await school.tick()
        await report_on_wechat(wang, "1", "放学路上摔伤了膝盖")  # injury
        await school.tick()
        acked = await grandpa("1")  # the alert is asked first: its number confirms it
        yield CheckinAfterAlert(school, grandpa, wang, acked)
