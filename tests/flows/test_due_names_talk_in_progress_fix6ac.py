"""/due with 张强's 【紧急】 message shown over 王老师's talk in progress names the talk (fix6ac).

Before, /due listed the talks due and the message with its Reply and said nothing of the talk she had begun
with 杨秀云. Now a line above the message says it is still in progress and comes back after; it does, once her
answer is sent, at the question where she left it.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo

FRIDAY = "2026-12-04 17:58"
SCRIPT = "/talk 杨秀云\n1\n:as #43\n孩子发高烧抽筋了\n:as 王老师\n/due\n1\n我马上打电话给您\n"


def test_due_says_the_talk_is_still_in_progress(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, SCRIPT, FRIDAY)
    due = after(out, "/due")
    line = "您与杨秀云的谈心还没做完：回答完下面的问题后，会回到您刚才停下的地方。"
    assert line in due
    assert due.index(line) < due.index("“孩子发高烧抽筋了”")
    assert due.rstrip().endswith("1. 回复")  # her 1 is still the Reply
    sent = after(out, "我马上打电话给您")
    assert sent.startswith("已发送给张强。\n\n继续记录与杨秀云的谈心：\n\n杨秀云的学习情况怎么样？")


def test_in_english(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, SCRIPT, FRIDAY, "--lang", "en")
    assert "Your talk with 杨秀云 is still in progress" in after(out, "/due")
