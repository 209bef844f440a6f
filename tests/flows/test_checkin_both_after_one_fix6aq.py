"""``两个都很好`` at 刘帅's check-in after 刘婷婷 was answered 很好: both recorded, both named (issue 6 trial, fix6aq).

李雪 (刘婷婷, 刘帅) answered 刘婷婷's check-in 1 and skipped the note; at 刘帅's question she wrote ``两个都很好``.
It went to 张老师 as a message about both and 刘帅's question came again, nothing recorded. ``都挺好的`` with both
check-ins waiting already answered both (fix6aj); the same words now answer the one still waiting.
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo

FRIDAY = "2026-12-04 17:58"


@pytest.mark.parametrize("typed", ["两个都很好", "两个孩子都很好", "俩都挺好", "both are fine"])
def test_both_fine_at_liu_shuais_question_records_him_and_names_both(monkeypatch, tmp_path, sample_roster, typed):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as 李雪\n:wait 2m\n1\n跳过\n{typed}\n", FRIDAY)
    said = after(out, typed)
    assert said.startswith("谢谢！已记录：刘婷婷、刘帅这周都很好。")
    assert "留言已转给" not in said and "刘帅这周过得怎么样" not in said


def test_in_english_both_fine_names_both(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 李雪\n:wait 2m\n1\nskip\nboth are fine\n", FRIDAY,
                   "--lang", "en")
    said = after(out, "both are fine")
    assert said.startswith("Thank you! Recorded for 刘婷婷, 刘帅: All good this week.")


def test_both_fine_after_liu_tingting_was_so_so_is_no_answer_for_both(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 李雪\n:wait 2m\n2\n跳过\n两个都很好\n", FRIDAY)
    assert "已记录：刘婷婷、刘帅" not in after(out, "两个都很好")


def test_both_fine_at_liu_tingtings_note_records_liu_shuai_too(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 李雪\n:wait 2m\n1\n两个都很好\n", FRIDAY)
    said = after(out, "两个都很好")
    assert said.strip() == "谢谢！已记录：刘婷婷、刘帅这周都很好。还想告诉老师什么，直接在这里写就行。"
