"""``guanai export 事件`` and the safeguarding reports: left out on purpose, said so, included only when asked.

The command is run by whoever operates the server, acting as nobody in the school (person id 0): none of
a safeguarding report's designated people (its leaders). Before, the incident timelines silently lacked
every safeguarding report. Now the file still lacks them, and the command says how many and how the
leaders get them; ``--safeguarding`` includes them, and the audit log records that it did (fix9p, issue 9).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import openpyxl
from sqlalchemy import select

from bot.cli import main
from bot.services import incidents
from bot.store.db import make_engine, make_session_factory
from bot.store.models import AuditEntry
from bot.store.uow import UnitOfWorkFactory
from tests.support.cli import database_for_the_cli
from tests.support.incident_world import make_world

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)


def _school(uows: UnitOfWorkFactory) -> None:
    world = make_world(uows, NOW)
    with uows() as uow:
        incidents.report_incident(uow, reporter_id=world.wang, child_id=world.xiuyun, kind="injury",
                                  severity="emergency", description="操场上摔倒，膝盖流血。", now=NOW)
        incidents.report_incident(uow, reporter_id=world.wang, child_id=world.ting, kind="suspected_abuse",
                                  severity="emergency", description="她说家里人经常打她。", now=NOW)
        uow.commit()


def _children(path: Path) -> list[str]:
    sheet = openpyxl.load_workbook(path).worksheets[0]
    return [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c in ("杨秀云", "杨婷")]


def test_the_command_says_the_safeguarding_report_is_left_out_and_includes_it_when_asked(tmp_path, monkeypatch,
                                                                                        capsys):
    db = tmp_path / "cli.db"
    database_for_the_cli(db, monkeypatch, NOW, _school)
    plain = tmp_path / "plain.xlsx"
    assert main(["export", "事件", "--out", str(plain)]) == 0
    out = capsys.readouterr().out
    assert "杨秀云" in _children(plain) and "杨婷" not in _children(plain)
    assert "另有1份儿童保护报告未导出到此文件" in out and "--safeguarding" in out

    whole = tmp_path / "whole.xlsx"
    assert main(["export", "事件", "--safeguarding", "--out", str(whole)]) == 0
    out = capsys.readouterr().out
    assert "杨婷" in _children(whole) and "儿童保护报告未导出" not in out
    engine = make_engine(f"sqlite:///{db}")
    with UnitOfWorkFactory(make_session_factory(engine))() as uow:
        details = uow.session.scalars(select(AuditEntry.detail).where(AuditEntry.action == "export")).all()
    engine.dispose()
    assert any(d.get("safeguarding") for d in details)  # the whole file is on record as such
    assert not all(d.get("safeguarding") for d in details)  # the plain one is not
