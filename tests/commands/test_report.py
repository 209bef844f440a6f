"""``guanai report``: a school's figures, a town's and the county's, as an admin types them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli import main
from bot.store.db import make_engine, make_session_factory
from bot.store.uow import UnitOfWorkFactory
from tests.support.cli import county_for_the_cli
from tests.support.figures_world import County

NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)


@pytest.fixture
def county_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[County]:
    yield county_for_the_cli(tmp_path / "cli.db", monkeypatch, NOW)


def test_a_school_needs_its_name_when_there_are_several(county_db, capsys):
    assert main(["report"]) == 2
    assert "--school" in capsys.readouterr().err
    assert main(["report", "--school", "清溪小学"]) == 0
    out = capsys.readouterr().out
    assert "清溪小学（学校）统计数据，2026-11：" in out and "• 王老师（一年级（1）班）：每月 4/6 (66.7%)" in out


def test_a_town_and_the_county_as_officials_see_them(county_db, capsys, monkeypatch):
    monkeypatch.setenv("GUANAI_DEFAULT_LOCALE", "en")
    assert main(["report", "--town", "清溪镇"]) == 0
    out = capsys.readouterr().out
    assert "Figures for 清溪镇 (town), 2026-11:" in out and "(<5)" in out and "王老师" not in out
    assert main(["report", "学期", "--county"]) == 0
    out = capsys.readouterr().out
    assert "Figures for the 3 schools you oversee (河口小学, 清溪小学, 石门小学), 2026-09-01~2027-01-20:" in out
    assert "Per town:" in out


def test_a_town_or_period_that_cannot_be_found(county_db, capsys):
    assert main(["report", "--town", "无名镇"]) == 2
    assert "无名镇没有学校。" in capsys.readouterr().err
    assert main(["report", "明天", "--school", "清溪小学"]) == 1
    assert "无法识别时间段“明天”" in capsys.readouterr().err


@pytest.mark.parametrize("words", [
    ["统计"], ["花名册"], ["谈心"], ["事件"], ["结对"], ["统计表", "--force"], ["统计", "--town", "清溪镇"],
    ["统计表", "--county", "--force"],
])
def test_an_export_on_the_command_line_writes_the_file_and_audits_it_as_the_cli(county_db, capsys, tmp_path, words):
    import openpyxl
    from sqlalchemy import select

    from bot.store.models import AuditEntry

    out = tmp_path / "out.xlsx"
    school = [] if "--town" in words or "--county" in words else ["--school", "清溪小学"]
    assert main(["export", *words, *school, "--out", str(out)]) == 0
    assert f"已写入：{out}" in capsys.readouterr().out
    assert openpyxl.load_workbook(out).sheetnames
    assert out.stat().st_mode & 0o777 == 0o600  # children's addresses and phones: the owner's only
    engine = make_engine(f"sqlite:///{tmp_path / 'cli.db'}")
    with UnitOfWorkFactory(make_session_factory(engine))() as uow:
        entries = {tuple(r) for r in uow.session.execute(select(AuditEntry.actor_id, AuditEntry.channel)
                                          .where(AuditEntry.action == "export"))}
    engine.dispose()
    assert entries == {(None, "cli")}


def test_an_export_named_csv_is_refused_and_a_bare_name_gets_xlsx(county_db, capsys, tmp_path, monkeypatch):
    """``--out x.csv`` once wrote a workbook under a CSV name: now nothing is written and the message says why."""
    from sqlalchemy import func, select

    from bot.store.models import AuditEntry

    monkeypatch.chdir(tmp_path)
    assert main(["export", "花名册", "--school", "清溪小学", "--out", "x.csv"]) == 1
    err = capsys.readouterr().err
    assert "x.csv：本程序只生成 Excel 工作簿（.xlsx），不生成 .csv 文件。" in err
    assert "请把文件名写成 x.xlsx 这样；没有写入任何文件。" in err
    assert not (tmp_path / "x.csv").exists()
    engine = make_engine(f"sqlite:///{tmp_path / 'cli.db'}")
    with UnitOfWorkFactory(make_session_factory(engine))() as uow:  # refused before it was made: nothing audited
        assert uow.session.scalar(select(func.count()).select_from(AuditEntry)) == 0
    engine.dispose()
    monkeypatch.setenv("GUANAI_DEFAULT_LOCALE", "en")
    assert main(["export", "花名册", "--school", "清溪小学", "--out", "x.xls"]) == 1
    assert "x.xls: the bot writes Excel workbooks only (.xlsx), not .xls files. Name it like x.xlsx" in \
        capsys.readouterr().err
    assert main(["export", "花名册", "--school", "清溪小学", "--out", "花名册"]) == 0
    assert "Written: 花名册.xlsx" in capsys.readouterr().out
    written = tmp_path / "花名册.xlsx"
    assert written.read_bytes()[:2] == b"PK" and written.stat().st_mode & 0o777 == 0o600
    (tmp_path / "exports").mkdir()
    assert main(["export", "花名册", "--school", "清溪小学", "--out", "exports"]) == 0  # a folder: its own name inside
    assert [p.suffix for p in (tmp_path / "exports").iterdir()] == [".xlsx"]


@pytest.mark.parametrize("where", [["--town", "清溪镇"], ["--county"]])
def test_an_export_of_records_for_a_town_is_refused_by_name(county_db, capsys, tmp_path, where):
    """Issue 9 (exp9): ``花名册`` for a town once read "没有“花名册”这种导出" — it is known, just a school's."""
    for word in ("花名册", "谈心", "事件", "结对"):
        assert main(["export", word, *where, "--out", str(tmp_path / "x.xlsx")]) == 1
        assert capsys.readouterr().err.strip() == (f"“{word}”含有每个孩子的信息，只能按学校导出（--school 学校名，"
                                                   "不能用 --town 或 --county）。乡镇或全县可导出：统计表或统计。")
        assert not (tmp_path / "x.xlsx").exists()
    assert main(["export", "名单", *where]) == 1
    assert "没有“名单”这种导出" in capsys.readouterr().err


def test_a_period_at_the_calendars_limits_or_an_officials_arbitrary_range_is_refused(county_db, capsys):
    """fix9d: ``1000-01-01~9999-12-31`` is no OverflowError; a town's or the county's figures are for whole periods."""
    assert main(["report", "--town", "清溪镇", "1000-01-01~9999-12-31"]) == 1
    assert "无法识别时间段" in capsys.readouterr().err
    assert main(["report", "--county", "2026-11-01~2026-11-09"]) == 1
    assert "官员只能查看整段时间的统计" in capsys.readouterr().err
    assert main(["report", "--town", "清溪镇", "2026-11-01~2026-11-30"]) == 0
    assert "清溪镇（乡镇）统计数据，2026-11：" in capsys.readouterr().out
    assert main(["report", "--school", "清溪小学", "2026-11-01~2026-11-09"]) == 0  # the school keeps any range


def test_a_town_reports_a_past_term_by_name_and_is_told_of_a_year_that_is_none(county_db, capsys):
    """fix9e: ``guanai report --town 清溪镇 上学期`` is the term that ended last; ``2025-2027学年`` is none."""
    assert main(["report", "--town", "清溪镇", "上学期"]) == 0
    assert capsys.readouterr().out.startswith("清溪镇（乡镇）统计数据，")
    assert main(["report", "--county", "2025-2027学年"]) == 1
    err = capsys.readouterr().err
    assert "全县统计所依据的校历（" in err and "中没有“2025-2027学年”所指的学期或学年。" in err  # fix9h: not 本校
    assert "无法识别" not in err and "本校" not in err
