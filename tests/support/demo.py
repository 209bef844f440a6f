"""Running ``guanai demo`` in a test: the script typed on stdin, what it printed returned (the demo-test harness)."""

from __future__ import annotations

import io
import sys

from bot.cli import main


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
