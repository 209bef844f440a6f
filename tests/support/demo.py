"""Running ``guanai demo`` in a test: the script typed on stdin, what it printed returned (the demo-test harness)."""

from __future__ import annotations

import io
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

import openpyxl

from bot.cli import main
from bot.domain.clock import SystemClock


def run_demo(monkeypatch, tmp_path, sample_roster, script: str, at: str, *extra: str) -> str:
    """Run the demo on ``sample_roster`` from ``tmp_path`` at school time ``at``, typing ``script``; its output.

    ``extra``: further ``guanai demo`` arguments, e.g. ``"--lang", "en"`` or ``"--all"``.
    """
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "stdin", io.StringIO(script))
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    assert main(["demo", "--roster", str(sample_roster), "--at", at, *extra]) == 0
    return out.getvalue()


URGENT_TOLD = "您关于杨秀云的留言已作为紧急消息马上转给王老师（班主任），老师会给您打电话或在这里回复您。"
"""What 张强 (``:as #43``) reads when his words about 杨秀云 went to her class teacher as urgent, at once."""

LEFT_ON = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # 10:00 at the school
"""When 杨秀云 leaves the sample school in :func:`left_school` (UTC)."""


def left_school(monkeypatch, tmp_path, sample_roster, script: str, saved: str) -> tuple[str, Path]:
    """The demo database after 杨秀云 left the sample school, and the roster without her.

    ``script`` is typed on 18 November 2026 16:00 (it must print ``saved``); on the 20th the school re-imports its
    roster without her and applies the removals. Returns the database URL and the roster now imported.
    """
    url = f"sqlite:///{tmp_path / 'school.db'}"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script + "/quit\n", "2026-11-18 16:00", "--database", url)
    assert saved in out
    book = openpyxl.load_workbook(sample_roster)
    assert book["留守儿童花名册"]["B2"].value == "杨秀云"
    book["留守儿童花名册"].delete_rows(2)
    without = tmp_path / "roster-without.xlsx"
    book.save(without)
    reimport_without(monkeypatch, url, without, gone=1)
    return url, without


def reimport_without(monkeypatch, url: str, roster: Path, *, gone: int) -> None:
    """On 20 November (:data:`LEFT_ON`) the school re-imports ``roster`` into ``url`` and applies the removals.

    It must say that ``gone`` children left the school.
    """
    monkeypatch.setenv("GUANAI_DATABASE_URL", url)
    monkeypatch.setattr(SystemClock, "now", lambda self: LEFT_ON)
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert main(["import", str(roster), "--apply-removals", "--yes"]) == 0
    assert f"已处理：{gone}名儿童已离校" in sys.stdout.getvalue()


def after(out: str, typed: str, since: str = "", *, nth: int = 1) -> str:
    """What the demo printed after ``> typed`` (up to the next thing typed), looking from ``> since`` on.

    ``nth``: after the nth time ``typed`` was typed (from 1).
    """
    if since:
        out = out.split(f"> {since}\n", 1)[1]
    return re.split(r"\n> ", out.split(f"> {typed}\n")[nth], maxsplit=1)[0]


def leaving_out(out: str, reason: str) -> str:
    """What the demo printed from picking whom to leave out (排除某人) through the reply to ``reason``.

    Someone is left out the moment they are picked, before the reason is asked (fix9t): the stand-ins' alerts and
    the reporter's notice come after the pick, the "已排除…" line after the reason. The reply to the reason comes
    first, so that no message to anyone runs into it.
    """
    before, rest = out.split(f"> {reason}\n", 1)
    picked = before.rsplit("\n> ", 1)[1].split("\n", 1)[1]
    return re.split(r"\n> ", rest, maxsplit=1)[0] + "\n" + picked


def told_to(told: str, reader: str) -> list[str]:
    """The messages ``reader`` got in ``told``."""
    return [block.split("\n", 1)[1] for block in told.split("[→ ")[1:] if block.startswith(f"{reader}]")]


def new_class_teacher(monkeypatch, tmp_path, sample_roster, url: str) -> str:
    """The school re-imports its roster into ``url`` naming 新老师 class teacher of 一年级（1）班 (issue 9).

    王老师, its class teacher until then, stays on the staff sheet as 班主任 of no class. Returns the path of the
    roster now imported.
    """
    book = openpyxl.load_workbook(sample_roster)
    classes, staff = book["班级"], book["教职工"]
    assert classes["B2"].value == "一年级（1）班" and classes["C2"].value == "王老师"
    classes["C2"] = "新老师"
    assert staff["A4"].value == "王老师" and staff["C4"].value == "一年级（1）班"
    staff["C4"] = None  # still on the staff sheet as 班主任, of no class
    staff.append(["新老师", "班主任", "一年级（1）班", "13800139999"])
    path = tmp_path / "roster-new-teacher.xlsx"
    book.save(path)
    monkeypatch.setenv("GUANAI_DATABASE_URL", url)
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert main(["import", str(path)]) == 0
    return str(path)
