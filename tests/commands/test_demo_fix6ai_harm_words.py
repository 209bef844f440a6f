"""Harm words that name no child, and harm words at "what kind of help?" (fix6ai, issue 6).

A grandmother of two wrote ``有个孩子被打了``: the 【紧急】 and her answer read "about 刘婷婷、刘帅". A grandfather
typed ``孩子被打了`` at "what kind of help does 杨秀云 need?": urgent (right), then the same question again.
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"
WEEKDAY = "2026-12-02 10:00"


@pytest.mark.parametrize(("lang", "told", "teacher", "unnamed"), [
    ("zh_Hans", "您的留言（没有说是哪个孩子）已作为紧急消息马上转给张老师（班主任）", "张老师（班主任）",
     "留言没有说是哪个孩子"),
    ("en", "Your message, which names no child, was sent to 张老师 (class teacher) as urgent", "张老师 (class teacher)",
     "The message names no child")])
def test_harm_words_naming_no_child_are_labelled_so_and_stay_urgent(monkeypatch, tmp_path, sample_roster, lang,
                                                                    told, teacher, unnamed):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 李雪\n有个孩子被打了\n", WEEKDAY, "--all", "--lang", lang)
    said_now = after(out, "有个孩子被打了")
    assert told in said_now and "刘婷婷、刘帅的留言" not in said_now
    [urgent] = told_to(said_now, teacher)
    assert ("【紧急】" in urgent or "URGENT" in urgent) and unnamed in urgent


def test_harm_words_naming_her_child_still_name_it(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 李雪\n婷婷被打了\n", WEEKDAY, "--all")
    said_now = after(out, "婷婷被打了")
    assert "您关于刘婷婷的留言已作为紧急消息" in said_now
    assert not any("留言没有说是哪个孩子" in m for m in told_to(said_now, "张老师（班主任）"))


@pytest.mark.parametrize(("lang", "question", "helper"), [
    ("zh_Hans", "杨秀云需要哪方面的帮助？", "唐老师（帮扶教师）"),
    ("en", "What kind of help does 杨秀云 need?", "唐老师 (helper teacher)")])
def test_harm_words_at_what_kind_of_help_are_the_answer(monkeypatch, tmp_path, sample_roster, lang, question, helper):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as #43\n:wait 2m\n3\n孩子被打了\n", FRIDAY, "--lang", lang)
    said_now = after(out, "孩子被打了")
    assert question not in said_now  # not asked again
    assert "110" in said_now  # what to do now
    assert any("“孩子被打了”" in m for m in told_to(said_now, helper))  # kept as the help, in his words
