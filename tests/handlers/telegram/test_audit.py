"""Audit (issue 10, item 3), end to end on Telegram and on the command line.

A class teacher saves a talk and reports an incident, the principal opens
the incident from /due: each read and change is one row of the append-only
audit log, with who, what, which child, when and the channel. The principal
lists a child's log with ``/audit 张三``; a teacher may not; ``guanai audit``
lists it in the terminal. Listing is itself recorded.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text, update

import bot.bootstrap
from bot.cli import main
from bot.messages import payloads
from bot.store.models import AuditEntry
from bot.store.models.audit import AppendOnlyError
from tests.support.botapi_double import BotApiDouble
from tests.support.e2e import E2EBot, button, running_bot, running_school
from tests.support.school import TG, chain_school


def log_rows(bot: E2EBot) -> list[tuple[int | None, str, int | None, str]]:
    with bot.uow() as uow:
        rows = uow.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        return [(r.actor_id, r.action, r.child_id, r.channel) for r in rows]


async def _talk(bot: E2EBot) -> None:
    li = TG["li"]
    (mood,) = await bot.say(li, "/talk 张三", 1)
    (study,) = await bot.press(li, button(mood, "好"), 1)
    (life,) = await bot.press(li, button(study, "好"), 1)
    (safety,) = await bot.press(li, button(life, "好"), 1)
    (note,) = await bot.press(li, button(safety, "没有"), 1)
    (follow,) = await bot.press(li, button(note, "跳过"), 1)
    (summary,) = await bot.press(li, button(follow, "不需要跟进"), 1)
    await bot.press(li, button(summary, "保存"), 1)


async def test_reads_and_changes_are_audited_and_the_principal_lists_them(
    botapi: BotApiDouble, database_url: str, clock
) -> None:
    async with running_school(botapi, database_url, clock) as bot:
        school = bot.school
        li, admin = TG["li"], TG["admin"]
        await _talk(bot)
        clock.advance(timedelta(minutes=3))
        (kind,) = await bot.say(li, "/incident 张三", 1)
        (severity,) = await bot.press(li, button(kind, "其他"), 1)
        (describe,) = await bot.press(li, button(severity, "一般"), 1)
        (confirm,) = await bot.say(li, "课间在走廊摔了一跤，膝盖擦伤。", 1)
        await bot.press(li, button(confirm, "立即报告"), 1)
        with bot.uow() as uow:
            (detail,) = uow.session.scalars(select(AuditEntry.detail).where(
                AuditEntry.action == "incident_reported")).all()
        clock.advance(timedelta(minutes=3))
        (timeline,) = await bot.press(admin, payloads.incident_view(detail["incident"]), 1)
        assert "张三" in timeline.text

        li_id, admin_id, zhang = school.people["li"], school.people["admin"], school.zhang_san
        assert log_rows(bot) == [(li_id, "talk_saved", zhang, "telegram"),
                                 (li_id, "incident_reported", zhang, "telegram"),
                                 (admin_id, "view_incident", zhang, "telegram")]

        (listing,) = await bot.say(admin, "/audit 张三", 1)
        lines = listing.text.splitlines()
        assert lines[0] == "查阅或修改张三档案的记录（共3条，最新的在前）："
        assert lines[1] == "· 2026年11月30日 09:06 周校长 — 查看了突发事件（Telegram）"
        assert lines[2] == "· 2026年11月30日 09:03 李老师 — 报告了突发事件（Telegram）"
        assert lines[3] == "· 2026年11月30日 09:00 李老师 — 保存了谈心记录（Telegram）"
        assert log_rows(bot)[-1] == (admin_id, "view_audit", zhang, "telegram")

        # A teacher cannot list it, and nothing is recorded for the refusal.
        (refused,) = await bot.say(li, "审计 张三", 1)
        assert refused.text == "只有学校管理员可以查看谁查阅或修改过儿童的档案。"
        assert len(log_rows(bot)) == 4


async def test_the_audit_log_is_append_only(botapi: BotApiDouble, database_url: str, clock) -> None:
    async with running_bot(botapi, database_url, clock) as bot:
        chain_school(bot.uow, clock.now())
        await _talk(bot)
        with bot.uow() as uow:
            row = uow.session.scalars(select(AuditEntry)).one()
            row.action = "nothing"
            with pytest.raises(AppendOnlyError):
                uow.session.flush()
        with bot.uow() as uow, pytest.raises(Exception, match="append-only"):
            uow.session.execute(update(AuditEntry).values(action="nothing"))
        with bot.uow() as uow:
            assert uow.session.scalar(select(AuditEntry.action)) == "talk_saved"
            assert uow.session.execute(text("SELECT count(*) FROM audit_log")).scalar() == 1


async def test_guanai_audit_lists_a_childs_log_in_the_terminal(
    botapi: BotApiDouble, database_url: str, clock, monkeypatch, capsys
) -> None:
    async with running_bot(botapi, database_url, clock) as e2e:
        chain_school(e2e.uow, clock.now())
        await _talk(e2e)
    monkeypatch.setenv("GUANAI_DATABASE_URL", database_url)
    monkeypatch.setenv("GUANAI_DEFAULT_LOCALE", "zh_Hans")
    monkeypatch.setattr(bot.bootstrap, "SystemClock", lambda: clock)
    assert main(["audit", "E001"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == ["查阅或修改张三档案的记录（共1条，最新的在前）：",
                   "· 2026年11月30日 09:00 李老师 — 保存了谈心记录（Telegram）"]
    assert main(["audit", "没有这个人"]) == 1
