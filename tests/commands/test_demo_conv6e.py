"""Urgent messages come first (issue 6, DESIGN.md "Conversations"): the demo scripts of the third trial round."""

from __future__ import annotations

import pytest

from tests.commands.test_demo_guardian import _demo

CHECKIN = "杨秀云这周过得怎么样？\n1. 很好 2. 一般 3. 需要帮助"


@pytest.mark.parametrize("word", ["好", "没事", "还好"])
def test_after_an_emergency_message_a_bare_word_records_no_checkin_answer(monkeypatch, tmp_path, sample_roster,
                                                                          word):
    out = _demo(monkeypatch, tmp_path, sample_roster, f":wait 2m\n:as #43\n救命\n{word}\n/quit\n",
                "2026-12-04 17:58")
    assert ("[→ 王老师（班主任）]\n【紧急】（2026年12月4日 18:00）张强（杨秀云的外祖父，一年级（1）班）留言：\n"
            "“救命”") in out
    assert f"> {word}\n这句话没有作为下面问题的回答记录。方便时请回答：\n\n{CHECKIN}" in out
    assert "已记录：杨秀云这周" not in out  # neither 很好 nor 一般


def test_received_after_the_emergency_advice_is_taken_as_such_and_the_checkin_shown_again(
        monkeypatch, tmp_path, sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, ":wait 2m\n:as #43\n救命\n收到\n1\n/quit\n",
                "2026-12-04 17:58")
    assert f"> 收到\n好的。老师已经收到您的紧急消息。\n\n{CHECKIN}" in out
    assert "不是这个问题的回答" not in out
    assert "> 1\n谢谢！已记录：杨秀云这周很好。" in out  # the answer to the question shown again counts


def test_a_grandmother_of_two_answers_no_checkin_by_a_word_after_her_emergency_message(
        monkeypatch, tmp_path, sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, ":wait 2m\n:as 李雪\n帅帅不见了\n好\n/quit\n", "2026-12-04 17:58")
    assert ("[→ 张老师（班主任）]\n【紧急】（2026年12月4日 18:00）李雪（刘帅的外祖母，一年级（3）班）留言：\n"
            "“帅帅不见了”") in out
    assert ("> 好\n这句话没有作为下面问题的回答记录。方便时请回答：\n\n刘婷婷这周过得怎么样？\n"
            "1. 很好 2. 一般 3. 需要帮助") in out
    assert "已记录：刘婷婷这周很好" not in out and "已记录：刘帅" not in out
