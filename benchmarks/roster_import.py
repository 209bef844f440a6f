"""Benchmark: peak memory and time of importing a city-sized roster (issue 7, item 6).

Writes, in a temporary folder, a roster of one school whose children's sheet
holds N rows (``--rows``, default 26,000 and 260,000): the sample school's
school, staff and classes sheets as they are, and its 122 children copied with
new student numbers and phone numbers (siblings keep sharing theirs; the
study-buddy column is left empty, as names repeat). ``--format
csv`` (default) writes a folder of four CSV files, ``xlsx`` one workbook.
Each import runs in a fresh Python process on a new SQLite database
(``import_roster``, as ``guanai import`` does); it prints the time, the counts
and its peak resident memory (``ru_maxrss``) and the interpreter's baseline
before the import. Asserts nothing; nothing is kept.

Usage::

    python -m benchmarks.roster_import --rows 26000,260000
    python -m benchmarks.roster_import --rows 26000 --format xlsx
"""

from __future__ import annotations

import argparse
import csv
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "data" / "roster-sample.xlsx"
NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
_PHONES = (14, 17, 21)  # father's, mother's, guardian's phone (0-based columns of 花名册)
_STUDENT_NO, _BUDDY = 5, 29


def _phone(phone: Any, copy: int) -> Any:
    if not phone or copy == 0:
        return phone
    digits = str(phone)
    return f"13{(int(digits[2:]) + copy * 7919) % 10**9:09d}"


def _children(rows: list[tuple[Any, ...]], n: int) -> Any:
    """The sample's children copied until there are ``n`` rows."""
    for i in range(n):
        copy, r = divmod(i, len(rows))
        row = list(rows[r])
        row[0] = i + 1
        row[_BUDDY] = None  # names repeat in the copies: a buddy named would be ambiguous
        if copy:
            row[_STUDENT_NO] = f"G{copy:07d}{r:04d}"
            for col in _PHONES:
                row[col] = _phone(row[col], copy)
        if isinstance(row[4], datetime):
            row[4] = row[4].date().isoformat()
        yield row


def generate(sample: Path, n: int, folder: Path, fmt: str) -> Path:
    """Write the roster of ``n`` children under ``folder``; returns the path to import."""
    import openpyxl

    wb = openpyxl.load_workbook(sample, read_only=True)
    sheets = {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
    wb.close()
    kids_title = next(t for t, rows in sheets.items() if rows and rows[0] and rows[0][0] == "序号")
    head, kids = sheets[kids_title][0], [r for r in sheets[kids_title][1:] if any(v is not None for v in r)]
    if fmt == "csv":
        out = folder / "roster"
        out.mkdir()
        for i, (title, rows) in enumerate(sheets.items()):
            with (out / f"{i}-{title}.csv").open("w", newline="", encoding="utf-8") as f:
                writer = csv.writer(f)
                if title == kids_title:
                    writer.writerow(head)
                    writer.writerows(_children(kids, n))
                else:
                    writer.writerows(rows)
        return out
    book = openpyxl.Workbook(write_only=True)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        if title == kids_title:
            ws.append(head)
            for row in _children(kids, n):
                ws.append(row)
        else:
            for row in rows:
                ws.append(row)
    path = folder / "roster.xlsx"
    book.save(path)
    return path


def run_import(path: Path) -> None:  # in the child process
    """Import ``path`` into a new SQLite database and print the figures."""
    from bot.adapters.roster_files import RosterLimits
    from bot.services.roster import import_roster
    from bot.store.db import make_engine, make_session_factory
    from bot.store.schema import prepare_database
    from bot.store.uow import UnitOfWorkFactory

    url = f"sqlite:///{path.parent / 'import.db'}"
    prepare_database(url)
    engine = make_engine(url)
    uow = UnitOfWorkFactory(make_session_factory(engine))
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = time.perf_counter()
    with uow() as u:
        # A county's worth in one file: beyond one school's limits (RosterLimits), raised as
        # GUANAI_ROSTER_MAX_BYTES / _MAX_ROWS would be.
        report = import_roster(u, path, now=NOW, default_timezone="Asia/Shanghai",
                               limits=RosterLimits(max_bytes=1 << 30, max_rows=1_000_000))
    seconds = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  written={report.written} children={report.children.created + report.children.updated} "
          f"people={report.people.created} relations={report.relations.created} rejected={len(report.rejected)}")
    print(f"  import {seconds:.1f} s; peak RSS {peak:.0f} MiB (interpreter and database before the import: "
          f"{base:.0f} MiB; growth {peak - base:.0f} MiB)")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", default="26000,260000", help="children rows, comma-separated")
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    parser.add_argument("--sample", type=Path, default=SAMPLE)
    parser.add_argument("--run", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        run_import(args.run)
        return
    for n in (int(s) for s in args.rows.split(",")):
        folder = Path(tempfile.mkdtemp(prefix="roster-bench-"))
        try:
            path = generate(args.sample, n, folder, args.format)
            size = sum(p.stat().st_size for p in folder.rglob("*")) / 1e6
            print(f"roster of {n:,} children ({args.format}, {size:.0f} MB)", flush=True)
            subprocess.run([sys.executable, "-m", "benchmarks.roster_import", "--run", str(path)],  # noqa: S603
                           check=True)
        finally:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
