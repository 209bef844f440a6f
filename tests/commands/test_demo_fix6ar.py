"""Low findings of a new-user trial in the console demo (fix6ar, issue 6).

* ``谈心yangxiuyun`` — the command word glued to a child's name in pinyin — was "not understood", while
  ``谈心 yangxiuyun`` offered 杨秀云.
* ``close`` typed at the close confirmation (which wants "Confirm close" typed) asked "Drop it?" as if a new /close
  were started; after an all clear ``结束事件`` there became the note everyone told reads.
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


REPORTED = "报告 杨秀云\n1\n1\n摔伤了\n1\n"
AT_CONFIRM_EN = "report 杨秀云\n1\n1\nfell\n1\nclose\n1\n1\n"  # the outcome "safe at school", no note


@pytest.mark.parametrize("word", ["close", "/close", "结束事件"])
def test_the_close_word_at_the_confirmation_asks_for_the_phrase(monkeypatch, tmp_path, sample_roster, word):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{AT_CONFIRM_EN}{word}\nConfirm close\n/quit\n", WEEKDAY,
                   "--all", "--lang", "en")
    reply = after(out, word, nth=2 if word == "close" else 1)  # the first close started the closing
    assert reply.startswith("Please type “Confirm close” to confirm.\n\nClose the incident about 杨秀云")
    assert "Drop it?" not in reply
    assert after(out, "Confirm close").startswith("The incident is closed.")


def test_the_close_word_after_an_all_clear_is_no_note(monkeypatch, tmp_path, sample_roster):
    # 张强's all clear; 王老师 picks 结束事件 on it (outcome preset: safe at home), then types 结束事件 again.
    script = f"{REPORTED}:as #43\n1\n孩子没事了\n:as 王老师\n2\n结束事件\n确认结束\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, WEEKDAY, "--all")
    reply = after(out, "结束事件")
    assert reply.startswith("请输入“确认结束”以确认。\n\n确认结束关于杨秀云")
    assert "说明：结束事件" not in out
    assert after(out, "确认结束").startswith("事件已结束。")
