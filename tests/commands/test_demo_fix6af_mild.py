"""A mild complaint at the check-in is "so-so", the words its note; a worry beside it is still "needs help" (fix6af).

``我家孙女这礼拜挺好的就是有点咳嗽晚上睡不好老师费心了`` once told 唐老师 to call at once; ``she has a bit of a
cold`` recorded nothing.
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo

FRIDAY = "2026-12-04 17:58"


@pytest.mark.parametrize("words", ["我家孙女这礼拜挺好的就是有点咳嗽晚上睡不好老师费心了", "有点感冒"])
def test_a_mild_complaint_is_so_so_with_the_words_for_the_teacher(monkeypatch, tmp_path, sample_roster, words):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":wait 2m\n:as #43\n{words}\n/quit\n", FRIDAY, "--all")
    reply = after(out, words)
    assert reply.startswith("谢谢！已记录：杨秀云这周一般。")
    teacher = f"[→ 王老师（班主任）]\n张强（杨秀云的外祖父，一年级（1）班）留言：\n“{words}”\n"
    assert f"{teacher}写于每周联系回答“一般”之后" in reply
    assert "请尽快联系" not in reply


def test_a_bit_of_a_cold_in_english_is_so_so(monkeypatch, tmp_path, sample_roster):
    words = "she has a bit of a cold"
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":wait 2m\n:as #43\n{words}\n/quit\n", FRIDAY, "--all",
                   "--lang", "en")
    reply = after(out, words)
    assert reply.startswith("Thank you! Recorded: 杨秀云 this week: So-so.")
    assert f"“{words}”\nWritten after the weekly check-in answer “so-so”." in reply


@pytest.mark.parametrize("words", ["有点咳嗽，发烧两天了", "有点感冒，不吃饭"])
def test_a_worry_beside_the_mild_complaint_still_needs_help(monkeypatch, tmp_path, sample_roster, words):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":wait 2m\n:as #43\n{words}\n/quit\n", FRIDAY, "--all")
    assert after(out, words).startswith("谢谢！已记录：杨秀云这周需要帮助。")
