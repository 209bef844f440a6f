"""``婷婷发烧了`` while 刘帅's emergency alert waits: she was reached, and the words go once, under 刘婷婷 (fix6q).

A new-user trial: 李雪, guardian of both, answered 刘帅's alert with words about 刘婷婷. The alert was
acknowledged (any reply proves she was reached: issue 6) but 张老师 read the words twice — as a reply on
刘帅's incident and as a message about 刘婷婷. Now only the message about 刘婷婷 carries them.
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"
SCRIPT = ":wait 2m\n:as 张老师\n报告 刘帅\n1\n1\n在操场摔倒了，膝盖流血\n1\n:as 李雪\n婷婷发烧了\n/quit\n"


@pytest.mark.parametrize(("lang", "acked", "passed"), [
    ("zh_Hans", "谢谢：已记录您对刘帅事件通知的确认。\n您关于刘婷婷的话已转给张老师（班主任）。", "“婷婷发烧了”"),
    ("en", "Thank you: your acknowledgement of the alert about 刘帅 is recorded.\n"
           "Your words about 刘婷婷 were passed to 张老师 (class teacher).", "“婷婷发烧了”"),
])
def test_words_about_the_other_child_reach_the_teacher_once(monkeypatch, tmp_path, sample_roster, lang, acked,
                                                             passed):
    out = run_demo(monkeypatch, tmp_path, sample_roster, SCRIPT, FRIDAY, "--lang", lang)
    told = after(out, "婷婷发烧了")
    assert told.startswith(acked)
    teacher = told_to(told, "张老师（班主任）" if lang == "zh_Hans" else "张老师 (class teacher)")
    assert sum(passed in m for m in teacher) == 1
    assert any(passed in m and "刘婷婷" in m for m in teacher)
