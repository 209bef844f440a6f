"""`guanai import FILE [--skip-invalid]`: exit codes and the printed summary."""

from __future__ import annotations

import logging
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from bot.cli import main
from bot.store.db import make_engine
from bot.store.models import Child
from tests.services.test_roster import BAD_ROWS, messy_workbook


def child_count(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(Child)) or 0
    finally:
        engine.dispose()


def test_import_prints_the_summary_in_chinese_and_exits_zero(
    empty_url: str, sample_roster: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    children = openpyxl.load_workbook(sample_roster)["留守儿童花名册"].max_row - 1

    assert main(["import", str(sample_roster)]) == 0

    out = capsys.readouterr().out
    assert "已将 roster-sample.xlsx 导入 示例县清溪镇中心小学。" in out
    assert f"留守儿童：新增 {children}，更新 0，未变 0，删除 0" in out
    assert "班级：新增 18，" in out
    assert "被拒绝的行：0" in out
    assert child_count(empty_url) == children

    assert main(["import", str(sample_roster)]) == 0
    assert f"留守儿童：新增 0，更新 0，未变 {children}，删除 0" in capsys.readouterr().out


def test_a_bad_row_exits_non_zero_and_writes_nothing(
    empty_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GUANAI_DEFAULT_LOCALE", "en")
    path = messy_workbook(tmp_path / "bad.xlsx", [[9, *BAD_ROWS[2][0]]])

    assert main(["import", str(path)]) == 1

    out = capsys.readouterr().out
    assert "花名册, row 8, column 父亲联系电话: 12345 is not a valid phone number" in out
    assert "Nothing was written because of the rejected rows." in out
    assert "Children: 0 created" in out
    assert child_count(empty_url) == 0


def test_skip_invalid_writes_the_good_rows_lists_the_bad_one_and_still_exits_non_zero(
    empty_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = messy_workbook(tmp_path / "bad.xlsx", [[9, *BAD_ROWS[2][0]]])

    assert main(["import", str(path), "--skip-invalid"]) == 1

    out = capsys.readouterr().out
    assert "花名册，第 8 行，“父亲联系电话”列：12345 不是有效的电话号码" in out
    assert "留守儿童：新增 3，" in out
    assert "被拒绝的行：1" in out
    assert child_count(empty_url) == 3


def test_an_unreadable_file_gets_a_message_and_exit_code_two(
    empty_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = tmp_path / "roster.xlsx"
    fake.write_text("not a workbook")

    assert main(["import", str(fake)]) == 2
    assert "无法导入 roster.xlsx：roster.xlsx 不是可读取的 Excel 工作簿" in capsys.readouterr().out


def test_an_unusable_database_gets_a_message_naming_the_cause_and_a_log_line_without_traceback_or_sql(
    tmp_path: Path, sample_roster: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = f"sqlite:///{tmp_path}/no-such-folder/guanai.db"  # SQLite cannot create the file there
    monkeypatch.setenv("GUANAI_DATABASE_URL", url)
    monkeypatch.setenv("GUANAI_DEFAULT_LOCALE", "zh_Hans")

    with caplog.at_level(logging.DEBUG):
        assert main(["import", str(sample_roster)]) == 2

    assert f"无法创建 SQLite 数据库 {tmp_path}/no-such-folder/guanai.db：文件夹 {tmp_path}/no-such-folder 不存在。" in (
        capsys.readouterr().out)
    ours = [r for r in caplog.records if r.name.startswith("bot.")]
    assert ours and all(r.exc_info is None and r.exc_text is None for r in ours)  # no traceback
    assert [r.getMessage() for r in ours] == ["database unusable: DatabaseUrlError"]
    assert "no-such-folder" not in caplog.text and "unable to open" not in caplog.text
