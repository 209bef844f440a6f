"""取消 in a talk with answers given asks 要放弃吗？ first; with nothing entered it cancels at once (LOW-7, fix6al).

A new-user trial typed ``取消`` at a talk's second question and its first answer was gone without a question,
while every other command there asks whether to drop the unfinished talk (issue 6 item 1).
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo

WEEKDAY = "2026-12-02 10:00"
DROP = "您还没有完成与丁倩的谈心记录，目前还没有保存。要放弃吗？\n1. 放弃，继续新的操作 2. 回去接着做"


@pytest.mark.parametrize("word", ["取消", "/cancel"])
def test_cancel_at_the_second_question_asks_first(monkeypatch, tmp_path, sample_roster, word):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"/talk\n1\n1\n{word}\n2\n{word}\n1\n/quit\n", WEEKDAY)
    assert after(out, word).startswith(DROP)
    assert after(out, "2").startswith("继续记录与丁倩的谈心：\n\n丁倩的学习情况怎么样？")  # back, the answer kept
    assert after(out, "1", word, nth=1).startswith("已取消与丁倩的谈心记录，没有保存任何内容。")


def test_cancel_with_nothing_entered_cancels_at_once(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, "/talk\n1\n取消\n/quit\n", WEEKDAY)
    assert after(out, "取消").startswith("已取消与丁倩的谈心记录，没有保存任何内容。")


def test_in_english(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, "/talk\n1\n1\ncancel\n1\n/quit\n", WEEKDAY, "--lang", "en")
    assert "Drop it?" in after(out, "cancel") or "drop" in after(out, "cancel").lower()
    assert after(out, "1", "cancel").startswith("Cancelled your talk with 丁倩. Nothing was saved.")
