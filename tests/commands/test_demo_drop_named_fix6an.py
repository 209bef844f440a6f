""""Drop it and go on" says what was dropped before whatever comes next (fix6an).

A new-user trial's teacher, two answers into a talk with 杨秀云, typed ``谈心 杨秀云`` (or another command), was
asked 要放弃吗？, chose 放弃 and read only the next question: nothing said whether the talk had been kept. Now the
first line names what was dropped; 取消's own "已取消与杨秀云的谈心记录" is not said twice.
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo

WEEKDAY = "2026-12-02 10:00"


def test_dropping_a_talk_for_another_command_says_so_first(monkeypatch, tmp_path, sample_roster):
    script = "/talk 杨秀云\n1\n谈心 杨秀云\n1\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, WEEKDAY)
    assert after(out, "谈心 杨秀云").startswith("您还没有完成与杨秀云的谈心记录，目前还没有保存。要放弃吗？")
    assert after(out, "1", "谈心 杨秀云").startswith(
        "已放弃与杨秀云的谈心记录，没有保存任何内容。\n\n与杨秀云谈心。孩子的情绪怎么样？")


def test_in_english(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, "/talk 杨秀云\n1\n/talk 杨秀云\n1\n/quit\n", WEEKDAY,
                   "--lang", "en")
    assert after(out, "1", nth=2).startswith(
        "Dropped your talk with 杨秀云; nothing of it was saved.\n\nTalk with 杨秀云. How was the child's mood?")


@pytest.mark.parametrize("choice", ["1", "放弃"])
def test_cancel_then_drop_names_it_once(monkeypatch, tmp_path, sample_roster, choice):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"/talk 杨秀云\n1\n取消\n{choice}\n/quit\n", WEEKDAY)
    said = after(out, choice, "取消")
    assert said.startswith("已取消与杨秀云的谈心记录，没有保存任何内容")
    assert "已放弃" not in said
