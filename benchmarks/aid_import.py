"""Benchmark: time and write-lock hold of ``guanai aid import`` with a large ledger (issue 9, aid import).

Imports the sample school (``../shared/data/roster-sample.xlsx``) into a new
SQLite database in a temporary folder, writes an aid ledger of N rows
(``--rows``, default 20,000: the sample's 122 children in turn, each row a
different record) and runs ``guanai aid import`` in this process. Prints the
import's wall time and how long SQLite's write lock was held: from the first
INSERT to the commit (SQLAlchemy engine events). Asserts nothing; nothing is kept.

Usage::

    python -m benchmarks.aid_import --rows 20000
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import os
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "data" / "roster-sample.xlsx"


def _ledger(path: Path, rows: int, student_numbers: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["学籍号", "日期", "类别", "金额", "来源", "发放人"])
        for i in range(rows):
            day = date(2026, 1, 1) + timedelta(days=i % 300)
            out.writerow([student_numbers[i % len(student_numbers)], day.isoformat(), "助学金", 100 + i % 900,
                          f"县教育局第{i}批", "王校长"])


def main() -> None:
    """Run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args()
    from bot.cli import main as cli

    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        os.environ["GUANAI_DATABASE_URL"] = f"sqlite:///{base / 'bench.db'}"
        with contextlib.redirect_stdout(io.StringIO()):
            assert cli(["import", str(SAMPLE)]) == 0
        import openpyxl

        sheet = openpyxl.load_workbook(SAMPLE, read_only=True)["留守儿童花名册"]
        numbers = [str(r[5]) for r in sheet.iter_rows(min_row=2, values_only=True) if r[5]]
        ledger = base / "资助台账.csv"
        _ledger(ledger, args.rows, numbers)
        marks: dict[str, float] = {}

        def on_execute(conn: Any, cursor: Any, statement: str, *_args: Any) -> None:
            if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
                marks.setdefault("first_write", time.perf_counter())

        def on_commit(conn: Any) -> None:
            if "first_write" in marks:
                marks.setdefault("commit", time.perf_counter())

        event.listen(Engine, "before_cursor_execute", on_execute)
        event.listen(Engine, "commit", on_commit)
        started = time.perf_counter()
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            status = cli(["aid", "import", str(ledger)])
        elapsed = time.perf_counter() - started
        held = marks.get("commit", 0.0) - marks.get("first_write", 0.0)
        print(f"{args.rows} rows: exit {status}, {elapsed:.1f} s in all, write lock held {held:.2f} s "
              f"({out.getvalue().strip()})")


if __name__ == "__main__":
    main()
