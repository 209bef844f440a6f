"""``报告老师`` alone asks what to tell the teacher; her next words are the message (fix6ad, issue 6).

A grandparent typing ``报告老师`` (or ``报告老师！``, ``老师``) is calling the teacher, her message still to come:
张老师 read "留言：“报告老师”", and the words that followed became a second message. Now one question in her
language asks for the message, and what she writes next is passed on; ``报告老师，孩子发烧了`` passes the words only.
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo, told_to

WHAT = "您想告诉老师什么？请直接写在这里，我会转给老师。"
ZHANG = "张老师（班主任）"
WEEKDAY = "2026-12-02 10:00"


@pytest.mark.parametrize("typed", ["报告老师", "报告老师！", "老师", "张老师"])
def test_calling_the_teacher_asks_for_the_message_and_passes_the_next_words(monkeypatch, tmp_path, sample_roster,
                                                                            typed):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as 李雪\n{typed}\n婷婷今天咳嗽\n", WEEKDAY, "--all")
    asked = after(out, typed)
    assert WHAT in asked and not told_to(asked, ZHANG)  # nothing passed on yet: only the question
    said = after(out, "婷婷今天咳嗽")
    assert said.startswith("谢谢。您关于刘婷婷的留言已转给张老师（班主任）")
    [passed] = told_to(said, ZHANG)
    assert "“婷婷今天咳嗽”" in passed and "老师”" not in passed


def test_the_address_before_the_words_is_not_passed_on(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 李雪\n报告老师，孩子发烧了\n", WEEKDAY, "--all")
    said = after(out, "报告老师，孩子发烧了")
    assert WHAT not in said
    [passed] = told_to(said, ZHANG)
    assert "“孩子发烧了”" in passed and "老师" not in passed.split("留言：")[1]


def test_at_the_check_in_the_question_is_shown_alone_and_the_check_in_comes_back(monkeypatch, tmp_path,
                                                                               sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":wait 2m\n:as 李雪\n报告老师\n1\n老师\n婷婷今天好多了\n",
                   "2026-12-04 17:58", "--all")
    asked = after(out, "报告老师")
    assert asked.rstrip().endswith(f"{WHAT}\n1. 取消")  # the check-in's "1. 很好" is not shown beside it
    cancelled = after(out, "1")
    assert cancelled.startswith("好的，没有转给老师。") and "刘婷婷这周过得怎么样？\n1. 很好" in cancelled
    assert not told_to(cancelled, ZHANG)  # the 1 cancelled the question shown: no check-in answered, nothing sent
    said = after(out, "婷婷今天好多了")
    [passed] = told_to(said, ZHANG)
    assert "“婷婷今天好多了”" in passed
    assert "还在等您回答：\n\n刘婷婷这周过得怎么样？" in said  # the check-in is asked again, unanswered


def test_in_english_too(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 李雪\nteacher\nTingting has a cough\n",
                   "2026-12-02 10:00", "--all", "--lang", "en")
    assert "What would you like to tell the teacher?" in after(out, "teacher")
    [passed] = told_to(after(out, "Tingting has a cough"), "张老师 (class teacher)")
    assert "Tingting has a cough" in passed
