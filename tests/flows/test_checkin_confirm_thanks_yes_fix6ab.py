"""``好的 谢谢`` / ``是的，谢谢`` / ``是的 谢谢老师`` at "是说刘婷婷这周很好吗？" are yes (fix6ab, issue 6).

李雪 answered 刘婷婷's Friday check-in ``好的`` (刘帅's waits behind it) and was asked back whether she meant 很好.
A polite yes ends with thanks: 很好 is recorded. ``谢谢老师`` alone there still asks the week question again
(fix6v), and worry words are never yes.
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo

FRIDAY = "2026-12-04 17:58"
ASKED_BACK = ":as 李雪\n:wait 2m\n好的\n"


@pytest.mark.parametrize("words", ["好的 谢谢", "是的，谢谢", "是的 谢谢老师"])
def test_a_yes_with_thanks_records_a_good_week(monkeypatch, tmp_path, sample_roster, words):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{ASKED_BACK}{words}\n", FRIDAY, "--all")
    assert after(out, "好的").startswith("是说刘婷婷这周很好吗？")
    said = after(out, words)
    assert said.startswith("谢谢！已记录：刘婷婷这周很好。")
    assert "已记录：刘帅这周" not in said  # her grandson's check-in still waits for its own answer


def test_thanks_alone_asks_again_and_worry_is_never_yes(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{ASKED_BACK}谢谢老师\n好的，就是有点发烧\n", FRIDAY, "--all")
    thanked = after(out, "谢谢老师")
    assert "已记录" not in thanked and "刘婷婷" in thanked  # the week question about her, asked again
    assert "已记录：刘婷婷这周很好" not in after(out, "好的，就是有点发烧")
