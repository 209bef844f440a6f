"""Words typed with the report command are shown kept at once, then offered as the description (fix6q).

A trial user typed ``报告杨秀云，孩子在操场摔了`` and saw only "发生了什么？": his words seemed lost. They are
said to be kept under the first question and offered (``1. 就用我写的``) at the description.
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo

AT = "2026-12-02 10:00"


@pytest.mark.parametrize(("lang", "typed", "kept", "used"), [
    ("zh_Hans", "报告杨秀云，孩子在操场摔了", "您写的“孩子在操场摔了”已保存，稍后可以直接用作情况描述。",
     "描述：孩子在操场摔了"),
    ("en", "/report 杨秀云, fell in the yard",
     "Your words “fell in the yard” are kept: you can use them as the description in a moment.",
     "Description: fell in the yard"),
])
def test_the_words_are_kept_and_used(monkeypatch, tmp_path, sample_roster, lang, typed, kept, used):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{typed}\n1\n1\n1\n/quit\n", AT, "--lang", lang)
    first = after(out, typed)
    assert kept in first and "1. " in first.split(kept, 1)[1]
    assert used in after(out, "1", typed, nth=3)
