"""``guanai demo`` on a fresh machine: the sample school is found from any directory (README's first command)."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.commands.demo import PACKAGED_SAMPLE, find_sample_roster
from tests.conftest import SHARED_DATA


def test_the_packaged_sample_is_the_shared_one() -> None:
    shared = SHARED_DATA / "roster-sample.xlsx"
    if not shared.is_file():
        pytest.skip("no ../shared/data beside this checkout")
    assert PACKAGED_SAMPLE.read_bytes() == shared.read_bytes()  # one school, never two that drift apart


def test_a_teacher_runs_the_demo_from_a_folder_far_from_the_checkout(monkeypatch, tmp_path) -> None:
    far = tmp_path / "a" / "b"
    far.mkdir(parents=True)
    monkeypatch.chdir(far)
    monkeypatch.delenv("GUANAI_SAMPLE_ROSTER", raising=False)
    is_file = Path.is_file
    monkeypatch.setattr(Path, "is_file", lambda p: "shared" not in p.parts and is_file(p))  # no ../shared here
    assert find_sample_roster(None) == PACKAGED_SAMPLE
    monkeypatch.setattr(sys, "stdin", io.StringIO("/help\n/quit\n"))
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    assert main(["demo", "--at", "2026-12-04 17:58"]) == 0
    assert "找不到示例花名册" not in out.getvalue() and "王老师" in out.getvalue()
    assert Path(far / "guanai-demo.db").is_file()
