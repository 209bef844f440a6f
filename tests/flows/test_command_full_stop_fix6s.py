"""A command word with a full stop is still the command (fix6s, new-user trial item 1).

王老师 reported 杨秀云's scraped knee and typed ``结束事件。`` — as one ends a sentence — and was told
"抱歉，我没有看懂". Sentence ends (``。.！!～~``) after a command word no longer hide it: ``close.`` in English too.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo

WEDNESDAY = "2026-12-02 10:00"


def test_close_with_a_chinese_full_stop_asks_how_the_child_is(monkeypatch, tmp_path, sample_roster):
    script = "报告 杨秀云\n1\n2\n膝盖擦破了\n1\n结束事件。\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, WEDNESDAY)
    said = after(out, "结束事件。")
    assert "没有看懂" not in said
    assert said.startswith("结束关于杨秀云（一年级（1）班）的突发事件")
    assert "1. 孩子在学校，安全" in said


def test_help_with_an_exclamation_mark(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, "帮助！\n/quit\n", WEDNESDAY)
    assert "没有看懂" not in after(out, "帮助！")


def test_close_with_a_full_stop_in_english(monkeypatch, tmp_path, sample_roster):
    script = "report 杨秀云\n1\n2\nscraped knee\n1\nclose.\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, WEDNESDAY, "--lang", "en")
    said = after(out, "close.")
    assert "understand" not in said
    assert said.startswith("Before closing the incident about 杨秀云 (一年级（1）班)")
    assert "1. The child is safe at school" in said
