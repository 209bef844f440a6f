"""``report 杨秀云, fell in the yard`` in English: the child, then the words for the description (fix6v, issue 6).

As ``报告 杨秀云 在操场摔倒了`` already was in Chinese: a breaker's English teacher typed the name with a comma or
a colon after it, or in pinyin, and got "Sorry, I didn't understand that".
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo

WEEKDAY = "2026-12-02 10:00"


@pytest.mark.parametrize("typed", ["report 杨秀云, fell in the yard", "report 杨秀云: fell in the yard",
                                   "report Yang Xiuyun fell in the yard"])
def test_the_name_then_the_words_in_english(monkeypatch, tmp_path, sample_roster, typed):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as 王老师\n{typed}\n1\n2\nUse what I wrote\n", WEEKDAY,
                   "--all", "--lang", "en")
    asked = after(out, typed)
    assert asked.startswith("Incident about 杨秀云: what happened?\n"
                            "Your words “fell in the yard” are kept: you can use them as the description in a moment.")
    assert "You wrote: “fell in the yard”" in after(out, "2")
    assert "Description: fell in the yard" in after(out, "Use what I wrote")


def test_the_chinese_form_with_a_comma(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 王老师\n报告 杨秀云，在操场摔倒了\n", WEEKDAY, "--all")
    assert after(out, "报告 杨秀云，在操场摔倒了").startswith(
        "关于杨秀云的突发事件：发生了什么？\n您写的“在操场摔倒了”已保存")
