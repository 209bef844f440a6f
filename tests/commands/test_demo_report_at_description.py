"""A report command typed at a report's description is a new report, never the description (issue 6, item 4)."""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo

AT = "2026-12-04 17:58"


@pytest.mark.parametrize("typed", ["报告 杨秀云 摔倒了", "报告杨秀云摔倒了"])
def test_a_report_command_at_the_description_asks_to_drop_the_unfinished_one(monkeypatch, tmp_path, sample_roster,
                                                                             typed):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"报告 杨秀云\n1\n1\n{typed}\n2\n/quit\n", AT, "--all")
    assert after(out, typed).startswith("您还没有完成杨秀云的事件报告，目前还没有保存。要放弃吗？\n"
                                        "1. 放弃，继续新的操作 2. 回去接着做")
    assert "请简要描述杨秀云的情况" in out.rsplit("> 2\n", 1)[1]  # kept, the question asked again
    assert "描述：" not in out


def test_in_english_too(monkeypatch, tmp_path, sample_roster):
    typed = "report 杨秀云 fell down"
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"report 杨秀云\n1\n1\n{typed}\n1\n/quit\n", AT, "--all",
                   "--lang", "en")
    assert after(out, typed).startswith("You have not finished your incident report about 杨秀云; nothing of it is "
                                        "saved yet. Drop it?")
    assert "You wrote: “fell down”" in after(out, "1", typed) or "Incident about 杨秀云" in after(out, "1", typed)
    assert "Description: report" not in out


def test_words_addressed_to_a_teacher_are_still_the_description(monkeypatch, tmp_path, sample_roster):
    typed = "报告老师，孩子摔倒了"
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"报告 杨秀云\n1\n1\n{typed}\n3\n", AT, "--all")
    assert "描述：报告老师，孩子摔倒了" in after(out, typed)
