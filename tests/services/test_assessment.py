"""Plan 5's assessment from imported term files, as the school's admin runs it (``guanai assess``)."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest

from bot.cli import main
from tests.support.cli import county_for_the_cli

NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
SPRING = [("Q10", 8, "否", "否"), ("Q11", 2, "否", "否"), ("Q12", 4, "否", "否"), ("Q14", 5, "否", "否"),
          ("Q21", 1, "否", "否"), ("Q22", 3, "否", "否")]
AUTUMN = [("Q10", 3, "否", "是"), ("Q11", 1, "否", "是"), ("Q12", 6, "是", "否"), ("Q13", 10, "", ""),
          ("Q14", 5, "否", "否"), ("Q21", 2, "否", "否"), ("Q22", 1, "否", "否"), ("X999", 4, "否", "否"),
          ("Q15", "第一", "否", "否")]


def _term_file(path: Path, rows: list[tuple[object, ...]]) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["期末成绩", None, None, None, None])  # a title row above the header
    ws.append(["姓名", "学籍号", "班级排名", "严重违纪", "三好学生"])
    for no, rank, violation, merit in rows:
        ws.append(["某某", no, rank, violation, merit])
    book.save(path)
    return path


@pytest.fixture
def school_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    return county_for_the_cli(tmp_path / "assess.db", monkeypatch, NOW)


def test_two_terms_imported_then_the_carers_ranked_and_rewarded(school_db, tmp_path, capsys):
    spring = _term_file(tmp_path / "spring.xlsx", SPRING)
    autumn = _term_file(tmp_path / "autumn.xlsx", AUTUMN)
    assert main(["assess", "import", str(spring), "--term", "2026-春", "--school", "清溪小学"]) == 0
    assert "2026-春：6名儿童" in capsys.readouterr().out
    assert main(["assess", "import", str(autumn), "--term", "2026-秋", "--school", "清溪小学"]) == 1
    captured = capsys.readouterr()
    assert "2026-秋：7名儿童" in captured.out
    assert "X999" in captured.err and "Q15" in captured.err  # an unknown pupil and an unreadable rank: skipped

    out_file = tmp_path / "assessment.xlsx"
    assert main(["assess", "report", "--term", "2026-秋", "--school", "清溪小学", "--out", str(out_file)]) == 0
    out = capsys.readouterr().out.splitlines()
    helpers = out[out.index("帮扶教师和爱心家长（所结对儿童得分之和）：") + 1:][:2]
    assert sorted(helpers) == ["  1. 赵妈妈：130分，奖励100元", "  1. 陈老师：130分，奖励100元"]
    teachers = out[out.index("班主任（全班平均分）：") + 1:][:2]
    assert teachers == ["  1. 李老师：40分，奖励100元", "  2. 王老师：36分，奖励30元"]

    book = openpyxl.load_workbook(io.BytesIO(out_file.read_bytes()))
    assert book.sheetnames == ["帮扶教师和爱心家长", "班主任", "儿童"]
    rows = list(book["班主任"].iter_rows(values_only=True))
    assert rows == [("名次", "姓名", "得分", "奖励（元）"), (1, "李老师", 40, 100), (2, "王老师", 36, 30)]
    scores = {r[1]: (r[2], r[3], r[6]) for r in book["儿童"].iter_rows(min_row=2, values_only=True)}
    assert scores["小一"] == (8, 3, 80) and scores["小四"] == (None, 10, 20) and scores["大一"] == (1, 2, 30)


def test_a_file_without_the_columns_is_refused(school_db, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("姓名,成绩\n小一,98\n", encoding="utf-8")
    assert main(["assess", "import", str(bad), "--term", "2026-秋", "--school", "清溪小学"]) == 1
    assert "没有包含学籍号和班级排名的表头" in capsys.readouterr().err
