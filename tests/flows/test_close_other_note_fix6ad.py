"""Closing an incident as "other" needs real words: 没有 / 不需要 / no are asked again (fix6ad, issue 6).

With the outcome "其他（请说明）" the note is the outcome: everyone the chain reached read "结果：其他。说明：没有".
Now a no or skip word there is refused politely, saying why, and the question is asked again with 暂不结束;
a family member's message waiting in the teacher's chat is asked again once the incident is kept open.
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo, told_to

WEEKDAY = "2026-12-02 10:00"
GRANDPA = "张强（委托监护人）"
# 张强's message waits in 王老师's chat while she reports and closes.
SCRIPT = ":as #43\n孩子咳嗽\n:as 王老师\n报告 杨秀云\n1\n1\n在操场摔倒了头破了\n1\n结束事件\n5\n"
NEEDS = "选择“其他”时，您写的话就是所有收到通知的人看到的结果，所以“{word}”不能作为说明。"
ASKED = "请写几句话说明杨秀云的情况。\n1. 暂不结束"


@pytest.mark.parametrize("word", ["没有", "不需要", "no", "不用了谢谢"])
def test_a_no_word_is_no_note_for_other(monkeypatch, tmp_path, sample_roster, word):
    out = run_demo(monkeypatch, tmp_path, sample_roster, SCRIPT + f"{word}\n已由家长接回家，明天复查\n确认结束\n",
                   WEEKDAY, "--all")
    refused = after(out, word)
    assert refused.startswith(NEEDS.format(word=word)) and ASKED in refused
    assert "确认结束关于杨秀云" not in refused
    asked = after(out, "已由家长接回家，明天复查")
    assert "说明：已由家长接回家，明天复查" in asked and f"说明：{word}" not in asked
    [notice] = [m for m in told_to(after(out, "确认结束"), GRANDPA) if "结果：其他" in m]
    assert "说明：已由家长接回家，明天复查" in notice


def test_keep_it_open_from_the_other_note_and_the_waiting_message_comes_back(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, SCRIPT + "没有\n暂不结束\n", WEEKDAY, "--all")
    kept = after(out, "暂不结束")
    assert kept.startswith("关于杨秀云的事件还没有结束，也没有通知任何人。")
    assert "“孩子咳嗽”" in kept and kept.rstrip().endswith("1. 回复")  # 张强's message, asked again, current
    assert not told_to(kept, GRANDPA)


def test_in_english(monkeypatch, tmp_path, sample_roster):
    script = ":as #43\n孩子咳嗽\n:as 王老师\nreport 杨秀云\n1\n1\nfell in the yard\n1\n/close\n5\nnone\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, WEEKDAY, "--all", "--lang", "en")
    refused = after(out, "none")
    assert refused.startswith("With “other”, your words are the outcome everyone who was told will read")
    assert "Keep it open" in refused and "Close the incident about" not in refused
