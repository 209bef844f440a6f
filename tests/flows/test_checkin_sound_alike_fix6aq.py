"""A check-in answered with a pinyin slip: ``很号`` for 很好, ``一版`` for 一般 (issue 6 trial, fix6aq).

张强 (``:as #43``, 杨秀云's grandfather) typed ``很号`` at the Friday check-in: his words went to 王老师 as a message
and the question came again. A short reply that sounds like one answer word is that answer, confirmed as usual.
"""

from __future__ import annotations

import pytest

from bot.domain.sound_alike import sounds_like
from tests.support.demo import after, run_demo

FRIDAY = "2026-12-04 17:58"


@pytest.mark.parametrize(("typed", "answer"),
                         [("很号", "很好"), ("一版", "一般"), ("很号的！", "很好"), ("还型", "一般")])
def test_a_homophone_slip_records_the_answer_it_sounds_like(monkeypatch, tmp_path, sample_roster, typed, answer):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":wait 2m\n:as #43\n{typed}\n", FRIDAY, "--all")
    said = after(out, typed)
    assert said.startswith(f"谢谢！已记录：杨秀云这周{answer}。")
    assert "[→ 王老师（班主任）]" not in said and "留言已转给" not in said


def test_the_slip_answers_only_the_question_shown_with_a_sibling_waiting(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 李雪\n:wait 2m\n一版\n", FRIDAY)
    said = after(out, "一版")
    assert said.startswith("谢谢！已记录：刘婷婷这周一般。")
    assert "刘帅这周一般" not in said


def test_a_sentence_or_one_character_is_never_read_by_its_sound(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":wait 2m\n:as #43\n号\n孩子这周很号\n", FRIDAY, "--all")
    for typed in ("号", "孩子这周很号"):
        assert "已记录" not in after(out, typed)


def test_sounds_like_compares_toneless_readings_of_short_chinese_words():
    assert sounds_like("很号", "很好") and sounds_like("一班", "一般") and sounds_like("还型", "还行")
    assert not sounds_like("号", "好")  # one character is too little to guess from
    assert not sounds_like("很号很号很号", "很好很好很好")  # longer than a short reply
    assert not sounds_like("ok", "ok") and not sounds_like("很差", "很好")
