"""An all clear lets the reporting teacher close the incident, and reminders carry it (fixj, issue 6 items 2 and 3).

A trial: the grandfather confirmed the alert about the missing 杨秀云, then wrote ``杨秀云没事了``. The
reporting teacher got the generic "张强 replied to the alert" with only a Reply, nothing suggested closing,
so the chain went on for hours: the parents far away kept getting "第N次提醒 … 走失，紧急 … 您尚未确认"
with nothing of the all clear. Now the teacher reads it as an all clear, with "结束事件" beside the Reply
(the usual close flow), and every reminder sent after it carries the all clear in one line.
"""

from __future__ import annotations

from tests.support.all_clear_world import FRIDAY, MISSING_XIUYUN
from tests.support.demo import after, run_demo, told_to

ALL_CLEAR = f"{MISSING_XIUYUN}杨秀云没事了\n"
CLOSE_FROM_IT = ":wait 25m\n:as 王老师\n2\n确认结束\n:wait 3h\n/quit\n"
PARENTS = ("杨杨（外出务工父母）", "谢冬梅（外出务工父母）")


def test_the_teacher_closes_from_the_all_clear_and_the_chain_stops(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ALL_CLEAR + CLOSE_FROM_IT, FRIDAY, "--all")
    [relayed] = told_to(after(out, "杨秀云没事了"), "王老师（班主任）")
    assert relayed.startswith("张强说杨秀云没事了。")
    assert "“杨秀云没事了”" in relayed and relayed.rstrip().endswith("1. 回复 2. 结束事件")
    # Its 2 asks only the confirmation, naming the child and the report time: the all clear chose the outcome.
    assert after(out, "2").startswith(
        "确认结束关于杨秀云（一年级（1）班）的突发事件（走失，报告于2026年12月4日 17:58）吗？\n结果：孩子已找到")
    closed = after(out, "确认结束")
    assert closed.startswith("事件已结束。")
    for reader in ("张强（委托监护人）", *PARENTS):
        [outcome] = told_to(closed, reader)
        assert "已由王老师于2026年12月4日 18:25结束。结果：孩子已找到" in outcome, reader
    assert after(out, ":wait 3h").strip() == "演示时间现在是2026年12月4日 21:25。"  # no reminders, no misses


def test_a_stale_number_after_another_question_closes_nothing(monkeypatch, tmp_path, sample_roster):
    script = ALL_CLEAR + ":as 王老师\n谈心 杨秀云\n2\n2\n:wait 15m\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all")
    [relayed] = told_to(after(out, "杨秀云没事了"), "王老师（班主任）")
    assert relayed.rstrip().endswith("1. 回复 2. 结束事件")
    # The talk's question is shown since: its 2s answer the talk, never the all clear's "结束事件".
    assert after(out, "2").startswith("杨秀云的学习情况怎么样？")
    assert "结束关于杨秀云" not in after(out, "2", nth=2)
    reminders = after(out, ":wait 15m")
    assert "第1次提醒" in reminders and "结束" not in reminders


def test_reminders_after_an_all_clear_carry_it(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ALL_CLEAR + ":wait 15m\n/quit\n", FRIDAY, "--all")
    for parent in PARENTS:
        [reminder] = told_to(after(out, ":wait 15m"), parent)
        assert reminder.startswith("第1次提醒"), parent
        assert "关于杨秀云（一年级（1）班）的突发事件（走失，紧急）您尚未确认" in reminder, parent
        assert "\n张强 2026年12月4日 18:00：“杨秀云没事了”\n" in reminder, parent
        assert "\n1. 确认收到" in reminder, parent  # they still confirm


def test_the_all_clear_and_its_close_in_english(monkeypatch, tmp_path, sample_roster):
    script = ALL_CLEAR + ":wait 15m\n:as 王老师\n2\nConfirm close\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all", "--lang", "en")
    [relayed] = told_to(after(out, "杨秀云没事了"), "王老师 (class teacher)")
    assert relayed.startswith("张强 says 杨秀云 is all right.")
    assert relayed.rstrip().endswith("1. Reply 2. Close incident")
    [reminder] = told_to(after(out, ":wait 15m"), "杨杨 (parent working away)")
    assert "\n张强 Dec 4, 2026 18:00: “杨秀云没事了”\n" in reminder
    assert after(out, "Confirm close").startswith("The incident is closed.")
