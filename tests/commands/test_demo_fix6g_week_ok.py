"""``ok``, ``好的``, ``嗯``, ``行``, ``👍`` at the Friday check-in are "good week" (fix6g, issue 6 item 3).

Testers: a grandparent asked "杨秀云这周过得怎么样？ 1. 很好 2. 一般 3. 需要帮助" answered ``好的`` or ``👍``
and was asked the same question again, as if the answer were nonsense. The catalog's "week ok" words (per
language) answer the check-in shown as 很好; a negation (``不好``, ``not ok``) never does, and ``收到``
("received") still says nothing of the week.
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo

FRIDAY = "2026-12-04 17:58"


@pytest.mark.parametrize("words", ["ok", "OK", "好", "好的", "嗯", "行", "👍"])
def test_everyday_fine_answers_the_single_child_check_in_as_good(monkeypatch, tmp_path, sample_roster, words):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":wait 2m\n:as #43\n{words}\n/quit\n", FRIDAY)
    told = after(out, words)
    assert told.startswith("谢谢！已记录：杨秀云这周很好。")
    assert "不是这个问题的回答" not in told


@pytest.mark.parametrize("words", ["ok", "👍"])
def test_in_english_too(monkeypatch, tmp_path, sample_roster, words):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":wait 2m\n:as #43\n{words}\n/quit\n", FRIDAY,
                   "--lang", "en")
    told = after(out, words)
    assert told.startswith("Thank you! Recorded: 杨秀云 this week: ") and "is not one of the answers" not in told


@pytest.mark.parametrize("words", ["不好", "not ok", "收到"])
def test_a_negation_or_received_is_no_good_week(monkeypatch, tmp_path, sample_roster, words):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":wait 2m\n:as #43\n{words}\n/quit\n", FRIDAY)
    assert "杨秀云这周很好" not in after(out, words)


def test_a_guardian_of_two_answers_the_check_in_shown_which_names_the_child(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":wait 2m\n:as 李雪\n好的\n跳过\n👍\n/quit\n", FRIDAY)
    first = after(out, "好的")
    assert first.startswith("谢谢！已记录：刘婷婷这周很好。") and "刘帅这周很好" not in first
    assert "刘帅这周过得怎么样？\n1. 很好 2. 一般 3. 需要帮助" in after(out, "跳过")
    assert after(out, "👍").startswith("谢谢！已记录：刘帅这周很好。")
