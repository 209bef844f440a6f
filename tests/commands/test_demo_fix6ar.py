"""Low findings of a new-user trial in the console demo (fix6ar, issue 6).

* ``谈心yangxiuyun`` — the command word glued to a child's name in pinyin — was "not understood", while
  ``谈心 yangxiuyun`` offered 杨秀云.
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo

WEEKDAY = "2026-12-02 10:00"


@pytest.mark.parametrize("glued", ["谈心yangxiuyun", "谈心Yangxiuyun", "谈心：yangxiuyun"])
def test_a_talk_glued_to_a_pinyin_name_is_the_talk_command(monkeypatch, tmp_path, sample_roster, glued):
    # A talk with 杨婷 is waiting for its first answer when the teacher asks for 杨秀云 by her pinyin name.
    script = f"谈心 杨婷\n{glued}\n1\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, WEEKDAY, "--all")
    offered = after(out, glued)
    assert "没有看懂" not in offered
    assert "您是指下面哪一位吗？" in offered and "1. 杨秀云（一年级（1）班）" in offered
    assert after(out, "1").startswith("与杨秀云谈心。孩子的情绪怎么样？")


def test_a_glued_word_that_names_no_child_stays_not_understood(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, "谈心hello\n/quit\n", WEEKDAY, "--all")
    assert after(out, "谈心hello").startswith("抱歉，我没有看懂。")
