"""Counts in English read "1 entry" / "2 entries" (plural9); the Chinese text is unchanged.

The principal opens a child's audit log three times: the first view is itself the log's first entry.
"""

from __future__ import annotations

from tests.support.demo import run_demo

AT = "2026-12-04 17:58"
SCRIPT = ":as 王校长\n/audit 杨秀云\n/audit 杨秀云\n/audit 杨秀云\n/quit\n"


def test_the_audit_log_reads_one_entry_then_two_entries_in_english(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, SCRIPT, AT, "--lang", "en")
    shown = out.split("> /audit 杨秀云\n")[1:]
    assert shown[0].startswith("Nobody has read or changed 杨秀云's record yet.")
    assert shown[1].startswith("Who read or changed 杨秀云's record (1 entry):\n")
    assert shown[2].startswith("Who read or changed 杨秀云's record (2 entries, newest first):\n")
    assert "1 entries" not in out


def test_the_audit_log_in_chinese_is_as_before(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, SCRIPT, AT)
    shown = out.split("> /audit 杨秀云\n")[1:]
    assert shown[1].startswith("查阅或修改杨秀云档案的记录（共1条，最新的在前）：\n")
    assert shown[2].startswith("查阅或修改杨秀云档案的记录（共2条，最新的在前）：\n")
