"""``跳过`` / ``skip`` / ``不改了`` / ``算了`` at "change it to which one?" keep the answer, and say so (fix6an).

A new-user trial's grandmother tapped 改一下 after answering, then typed ``跳过``: she was only told "please choose
one", the question again. Now the words that mean "leave it" keep the answer recorded, named, and the question
waiting behind it (刘帅's check-in) comes next; ``好的`` still asks her to choose (it may be "ok, I'll pick").
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo

FRIDAY = "2026-12-04 17:58"
WHICH = "要改成哪一个？现在记录的是：刘婷婷这周很好。"


@pytest.mark.parametrize("word", ["跳过", "不改了", "算了"])
def test_leave_words_keep_the_answer_and_the_next_question_follows(monkeypatch, tmp_path, sample_roster, word):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":wait 2m\n:as 李雪\n1\n改一下\n{word}\n", FRIDAY, "--all")
    assert after(out, "改一下").startswith(WHICH)
    said = after(out, word)
    assert said.startswith("好的，刘婷婷这周仍是“很好”。\n\n还在等您回答：\n\n"
                           "刘帅这周过得怎么样？\n1. 很好 2. 一般 3. 需要帮助")
    assert "请选择" not in said and "[→ 张老师" not in said  # no "please choose", not passed on as a message


def test_the_button_says_so_too_and_ok_still_asks(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":wait 2m\n:as #43\n1\n改一下\n好的\n4\n", FRIDAY)
    assert "请选择一个选项" in after(out, "好的")
    assert after(out, "4").startswith("好的，杨秀云这周仍是“很好”。")


def test_skip_in_english(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":wait 2m\n:as #43\n2\nchange\nskip\n", FRIDAY,
                   "--lang", "en")
    assert after(out, "skip").startswith("All right, 杨秀云 this week is still “So-so”.")
