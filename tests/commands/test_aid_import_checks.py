"""``guanai aid import`` checks every row before writing, then writes in one short transaction (issue 9, breaker).

Rows a school's clerk really types wrong: a 学籍号 and a 姓名 of two different
children, a date in 2099, cash of 0 or 0.001 yuan, a kind nobody knows, a
source pasted 32,000 characters long; a ledger typed in traditional
characters is read; a file beyond the row limit is refused with a clear message.
"""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import event, func, select
from sqlalchemy.engine import Engine

from bot.cli import main
from bot.domain.clock import SystemClock
from bot.store.db import make_engine, make_session_factory
from bot.store.models import AidRecord, Child

YANG, ZHU = "G2020356204842", "G2020867228486"  # 杨秀云, 朱瑞明 (一年级（1）班 of the sample)
NOW = datetime(2026, 12, 4, 17, 0, tzinfo=UTC)  # 5 December, 01:00 at the school (Asia/Shanghai)


def _ledger(path, rows) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "资助台账"
    ws.append(["学籍号", "姓名", "班级", "日期", "类别", "金额", "物品", "来源", "发放人"])
    for row in rows:
        ws.append(row)
    wb.save(path)


@pytest.fixture
def school(monkeypatch, tmp_path, sample_roster, capsys):
    url = f"sqlite:///{tmp_path / 'aid.db'}"
    monkeypatch.setenv("GUANAI_DATABASE_URL", url)
    monkeypatch.setattr(SystemClock, "now", lambda self: NOW)
    assert main(["import", str(sample_roster)]) == 0
    capsys.readouterr()
    return url


def _records(url: str) -> list[tuple]:
    engine = make_engine(url)
    with make_session_factory(engine)() as s:
        rows = s.execute(select(Child.name, AidRecord.given_on, AidRecord.kind, AidRecord.amount)
                         .join(Child, Child.id == AidRecord.child_id).order_by(AidRecord.id)).all()
    engine.dispose()
    return [tuple(r) for r in rows]


def test_each_bad_row_is_named_and_nothing_is_written(school, tmp_path, capsys) -> None:
    rows = [
        [ZHU, "杨秀云", None, date(2026, 11, 2), "现金", 200, None, None, None],  # row 2
        [YANG, None, None, date(2099, 1, 1), "现金", 200, None, None, None],
        [YANG, None, None, date(2026, 12, 6), "现金", 200, None, None, None],  # tomorrow at the school
        [YANG, None, None, date(2026, 11, 3), "现金", 0, None, None, None],
        [YANG, None, None, date(2026, 11, 3), "现金", "-0", None, None, None],
        [YANG, None, None, date(2026, 11, 3), "现金", "0.001", None, None, None],
        [YANG, None, None, date(2026, 11, 3), "飞机", 200, None, None, None],
        [YANG, None, None, date(2026, 11, 3), "现金", 200, None, "县" * 32_000, None],
        [YANG, None, None, date(2026, 12, 5), "现金", "200.5", None, None, None],  # today at the school: good
    ]
    ledger = tmp_path / "资助台账.xlsx"
    _ledger(ledger, rows)
    assert main(["aid", "import", str(ledger)]) == 1
    err = capsys.readouterr().err
    assert f"资助台账，第2行：学籍号{ZHU}属于朱瑞明，不是杨秀云：请更正其中之一" in err, err
    assert "第3行：日期2099年1月1日晚于今天" in err and "第4行：日期2026年12月6日晚于今天" in err
    assert "第5行：金额0不是大于0" in err and "第6行：金额-0不是大于0" in err and "第7行：金额0.001不是大于0" in err
    assert "第8行：无法识别的类别“飞机”：请填写以下之一：现金、物资、学习用品、减免、补助、其他" in err
    assert "第9行：来源超过200个字" in err
    assert "第10行" not in err and "未写入任何内容" in err
    assert _records(school) == []


def test_a_ledger_in_traditional_characters_is_read(school, tmp_path, capsys) -> None:
    ledger = tmp_path / "資助台賬.xlsx"
    _ledger(ledger, [[None, "楊秀雲", "一年級（1）班", date(2026, 11, 2), "現金", 300, None, "縣教育局", None]])
    assert main(["aid", "import", str(ledger)]) == 0, capsys.readouterr().err
    assert _records(school) == [("杨秀云", date(2026, 11, 2), "cash", Decimal("300.00"))]


def test_a_large_ledger_is_written_in_a_few_statements(school, tmp_path, capsys) -> None:
    """2,500 rows: checked first, then inserted in batches in one transaction (not a flush per row)."""
    ledger = tmp_path / "资助台账.csv"
    with ledger.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["学籍号", "日期", "类别", "金额", "来源"])
        for i in range(2_500):
            out.writerow([YANG if i % 2 else ZHU, f"2026-11-{1 + i % 28:02d}", "助学金", 100 + i, f"第{i}批"])
    writes: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO AID_RECORDS"):
            writes.append(statement)

    event.listen(Engine, "before_cursor_execute", count)
    try:
        assert main(["aid", "import", str(ledger)]) == 0, capsys.readouterr().err
    finally:
        event.remove(Engine, "before_cursor_execute", count)
    assert "新增2500条，已有0条" in capsys.readouterr().out
    assert len(writes) <= 5
    assert main(["aid", "import", str(ledger)]) == 0
    assert "新增0条，已有2500条" in capsys.readouterr().out
    engine = make_engine(school)
    with make_session_factory(engine)() as s:
        assert s.scalar(select(func.count(AidRecord.id))) == 2_500
    engine.dispose()


def test_a_file_beyond_the_row_limit_is_refused(school, tmp_path, capsys, monkeypatch) -> None:
    from bot.services import aid_import

    monkeypatch.setattr(aid_import, "MAX_ROWS", 3)
    ledger = tmp_path / "资助台账.xlsx"
    _ledger(ledger, [[YANG, None, None, date(2026, 11, d), "现金", 100, None, None, None] for d in range(1, 5)])
    assert main(["aid", "import", str(ledger)]) == 2
    assert "资助台账.xlsx超过3行：请拆分为每个不超过3行的文件" in capsys.readouterr().err
    assert _records(school) == []
