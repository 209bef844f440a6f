"""``跳过`` at the close confirmation never deletes the note already written (fix6av, tester item 2).

王老师 closed 杨秀云's incident: outcome 「孩子在家，安全」, then the note ``孩子已经包扎好``. The confirmation came,
the note question's 「1. 跳过」 still above it, and her ``跳过`` answered: 「不加说明：只发送结果。」 — the note
gone unasked. Now she reads that her note stays, and everyone told reads it; with no note written, 跳过 is no note.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

MORNING = "2026-12-04 10:00"
CLOSING = "报告 杨秀云\n1\n1\n头破了\n1\n:as #43\n1\n:as 王老师\n1\n2\n"


def test_skip_after_the_note_keeps_it(monkeypatch, tmp_path, sample_roster):
    script = f"{CLOSING}孩子已经包扎好\n跳过\n确认结束\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, MORNING, "--all")
    skipped = after(out, "跳过")
    assert skipped.startswith("您写的说明会保留：“孩子已经包扎好”。")
    assert "不加说明" not in skipped and "说明：孩子已经包扎好" in skipped
    closed = after(out, "确认结束")
    assert closed.startswith("事件已结束。")
    assert any("说明：孩子已经包扎好" in m for m in told_to(closed, "杨杨（外出务工父母）"))


def test_skip_with_no_note_written_is_no_note(monkeypatch, tmp_path, sample_roster):
    script = f"{CLOSING}跳过\n跳过\n确认结束\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, MORNING, "--all")
    assert after(out, "跳过", nth=2).startswith("不加说明：只发送结果。")  # the confirmation's 跳过: no note
    closed = after(out, "确认结束")
    assert closed.startswith("事件已结束。")
    told = told_to(closed, "杨杨（外出务工父母）")
    assert told and not any("说明：" in m for m in told)
    assert "您写的说明会保留" not in out
