"""``Liu Shuai is fine`` while 刘帅's emergency is open is no all clear, as ``刘帅很好`` is not (fix6u, fix6ab).

李雪 confirmed the alert that 刘帅 split his head open in the yard, with 刘婷婷's Friday check-in waiting in the same
chat, then wrote ``Liu Shuai is fine``. The English catalog's all clears hold ``is fine`` (for ``she is fine now``),
so the words reached 张老师 and the father far away as "李雪 says 刘帅 is all right". Named, "fine" rates the child
as the week's answer would: her words go to the reporting teacher, and she is told so.
"""

from __future__ import annotations

import pytest

from bot.flows.all_clear_words import said
from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"
HURT_SHUAI = ":as 张老师\n报告 刘帅\n1\n1\n在操场摔倒了头破了\n1\n:wait 2m\n:as 李雪\n1\n"
CHILDREN = [(1, "刘婷婷"), (2, "刘帅")]


@pytest.mark.parametrize("words", ["Liu Shuai is fine", "shuai is fine", "Liu Shuai is ok", "both are fine"])
def test_fine_in_english_during_the_emergency_goes_to_the_reporter(monkeypatch, tmp_path, sample_roster, words):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{HURT_SHUAI}{words}\n", FRIDAY, "--all", "--lang", "en")
    said_now = after(out, words)
    assert "is all right" not in said_now and "Recorded" not in said_now
    assert "was passed to 张老师 (who reported the incident)" in said_now
    [reporter] = told_to(said_now, "张老师 (class teacher)")
    assert f"“{words}”" in reporter
    assert not told_to(said_now, "刘亮 (parent working away)")  # the father is not told his son is fine
    assert "How is 刘婷婷 this week?" in said_now  # her granddaughter's check-in still waits, unanswered


@pytest.mark.parametrize("words", ["Liu Shuai is fine", "Shuai Liu is okay", "杨秀云 is fine"])
def test_a_named_fine_rates_like_the_chinese(words):
    found = said("en", words, [*CHILDREN, (3, "杨秀云")])
    assert found is not None and not found.plain
    assert not said("zh_Hans", "刘帅很好", CHILDREN).plain  # type: ignore[union-attr]


@pytest.mark.parametrize("words", ["Liu Shuai is safe", "Liu Shuai is back", "Liu Shuai is fine now", "刘帅没事了"])
def test_the_news_that_he_is_safe_is_still_an_all_clear(words):
    found = said("en", words, CHILDREN)
    assert found is not None and found.plain and found.child_ids == (2,)
