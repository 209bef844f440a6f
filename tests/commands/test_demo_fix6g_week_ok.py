"""``ok``, ``好的``, ``嗯``, ``行``, ``👍`` at the Friday check-in: asked back naming the child, never nonsense.

Testers: a grandparent asked "杨秀云这周过得怎么样？ 1. 很好 2. 一般 3. 需要帮助" answered ``好的`` or ``👍``
and was asked the same question again, as if the answer were nonsense (fix6g then recorded them as 很好; a
later trial found ``好的`` after an all-clear notice recorded as "这周很好": fix6q). Now they get a short
confirmation naming the child ("是说杨秀云这周很好吗？"), answered with one more ``好的`` or ``1``; the clear
word ``好`` still records at once, and a negation (``不好``, ``not ok``) is never "good".
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo

FRIDAY = "2026-12-04 17:58"
ASKED = "是说杨秀云这周很好吗？\n1. 是，很好 2. 一般 3. 需要帮助"


@pytest.mark.parametrize("words", ["ok", "OK", "好的", "嗯", "行", "👍", "收到", "知道了"])
def test_everyday_fine_asks_back_naming_the_child(monkeypatch, tmp_path, sample_roster, words):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":wait 2m\n:as #43\n{words}\n1\n/quit\n", FRIDAY)
    told = after(out, words)
    assert told.startswith(ASKED) and "已记录" not in told and "不是这个问题的回答" not in told
    assert after(out, "1").startswith("谢谢！已记录：杨秀云这周很好。")


def test_a_clear_good_still_records_at_once(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":wait 2m\n:as #43\n好\n/quit\n", FRIDAY)
    assert after(out, "好").startswith("谢谢！已记录：杨秀云这周很好。")


@pytest.mark.parametrize("words", ["ok", "👍"])
def test_in_english_too(monkeypatch, tmp_path, sample_roster, words):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":wait 2m\n:as #43\n{words}\nok\n/quit\n", FRIDAY,
                   "--lang", "en")
    told = after(out, words)
    assert told.startswith("Do you mean 杨秀云 is all good this week?\n1. Yes, all good 2. ")
    assert after(out, "ok", since=words).startswith("Thank you! Recorded: 杨秀云 this week: All good.")


@pytest.mark.parametrize("words", ["不好", "not ok"])
def test_a_negation_is_no_good_week(monkeypatch, tmp_path, sample_roster, words):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":wait 2m\n:as #43\n{words}\n/quit\n", FRIDAY)
    assert "杨秀云这周很好" not in after(out, words)


def test_a_guardian_of_two_is_asked_about_the_child_shown(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":wait 2m\n:as 李雪\n好的\n好的\n跳过\n👍\n/quit\n", FRIDAY)
    first = after(out, "好的")
    assert first.startswith("是说刘婷婷这周很好吗？") and "刘帅" not in first
    assert after(out, "好的", nth=2).startswith("谢谢！已记录：刘婷婷这周很好。")
    assert "刘帅这周过得怎么样？\n1. 很好 2. 一般 3. 需要帮助" in after(out, "跳过")
    assert after(out, "👍").startswith("是说刘帅这周很好吗？")
