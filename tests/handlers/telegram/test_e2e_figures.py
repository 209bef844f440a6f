"""Figures and exports end to end on Telegram: the principal's /report and /export, the official's /report.

The real python-telegram-bot polls the local Bot API double; the export
arrives as an uploaded document (``sendDocument``, multipart) and is opened.
"""

from __future__ import annotations

import io

import openpyxl

from bot.domain.clock import ManualClock
from tests.support.botapi_double import BotApiDouble
from tests.support.e2e import running_bot
from tests.support.school import TG, chain_school


async def test_the_principal_reads_the_figures_and_downloads_the_pairing_list(
    botapi: BotApiDouble, database_url: str, clock: ManualClock
) -> None:
    async with running_bot(botapi, database_url, clock) as bot:
        chain_school(bot.uow, clock.now())
        admin, town = TG["admin"], TG["town"]

        [summary, figures, per_class, chart, per_teacher] = await bot.say(admin, "/report", 5)
        assert chart.method == "sendPhoto" and botapi.files[0][2] == "report-2026-11.png"
        # What needs action first, a few lines (fix9y); the full figures follow, one message each.
        lines = summary.text.splitlines()
        assert lines[0] == "青山村小学（学校）统计数据，2026-11：" and lines[1] == "需要处理：" and len(lines) <= 12
        assert lines[-1] == "完整数据见后面几条消息。" and "各班级" not in summary.text
        assert all(len(m.text) <= 4096 for m in (summary, figures, per_class, per_teacher))
        assert figures.text.startswith("青山村小学（学校）统计数据，2026-11：")
        assert per_class.text.startswith("各班级：") and per_teacher.text.startswith("各教师和志愿者")

        [said, document] = await bot.say(admin, "/export 结对", 2)
        assert said.text.startswith("这是“青山村小学-结对名单-2026-11-30.xlsx”")
        assert document.method == "sendDocument"
        [_chart, (method, chat_id, filename, data)] = botapi.files
        assert (method, chat_id, filename) == ("sendDocument", admin, "青山村小学-结对名单-2026-11-30.xlsx")
        rows = list(openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
        assert rows[0][:3] == ("班级", "儿童", "学籍号") and rows[1][1] == "张三"

        [_summary, official, *_] = await bot.say(town, "统计", 4)
        assert official.text.startswith("您督导的1所学校（青山村小学）统计数据") and "张三" not in official.text
