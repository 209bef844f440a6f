"""Emergency words from 李雪 while 刘帅's emergency is open and nothing is held go to that incident (fix6ab).

王老师 (on duty) reported that 刘帅 split his head open in the yard; 李雪 confirmed the alert. On a Wednesday no
check-in is held, and her ``孩子发高烧抽筋了`` went to the class teacher 张老师 alone as 【紧急】: 王老师, who
reported it and is with the child, never read it. Now the reporter reads them too, as her reply about that
incident, with the first-aid line first; the class teacher keeps them as 【紧急】 (safety: fix6g, fix6k).
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

WEDNESDAY = "2026-12-02 10:00"
HURT_SHUAI = "报告 刘帅\n1\n1\n在操场摔倒了头破了\n1\n:as 李雪\n1\n"


def test_emergency_words_reach_the_reporter_and_the_class_teacher(monkeypatch, tmp_path, sample_roster):
    words = "孩子发高烧抽筋了"
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{HURT_SHUAI}{words}\n", WEDNESDAY, "--all")
    said = after(out, words)
    assert said.startswith("如果有人生病或受伤，请马上拨打120叫救护车。")
    assert "已马上转给王老师（事件报告人）" in said
    [told] = told_to(said, "王老师（班主任）")
    assert f"“{words}”" in told and "关于刘帅（一年级（3）班）的事件通知" in told and "【紧急】" not in told
    [urgent] = told_to(said, "张老师（班主任）")
    assert urgent.startswith("【紧急】") and f"“{words}”" in urgent


def test_naming_the_other_child_is_still_an_urgent_message_about_her(monkeypatch, tmp_path, sample_roster):
    words = "婷婷发高烧抽筋了"
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{HURT_SHUAI}{words}\n", WEDNESDAY, "--all")
    said = after(out, words)
    [told] = told_to(said, "张老师（班主任）")
    assert "【紧急】" in told and "刘婷婷" in told
    assert not told_to(said, "王老师（班主任）")
