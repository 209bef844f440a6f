"""The reporting teacher closes from any all clear, whatever else of the incident waits (fix6a, issue 6).

New users found: the teacher's ``2`` (结束事件) on the all clear was refused while the grandfather's earlier
words ("我马上去找", with its Reply) were still the question on screen; a second all clear (the father's first
reply, the grandfather's again) came with no close at all; and closing took four answers where the all clear
had said how it ended. Now the all clear is the question shown (the earlier words come back after), every
all-clear copy offers 结束事件, and from it only the confirmation naming the child and the report time is asked.
"""

from __future__ import annotations

from tests.support.all_clear_world import FRIDAY, REPORTED_MISSING
from tests.support.demo import after, run_demo, told_to

TEACHER = "王老师（班主任）"
CONFIRM = "确认结束关于杨秀云（一年级（1）班）的突发事件（走失，报告于2026年12月4日 17:58）吗？\n结果：孩子已找到\n"


def test_the_close_of_an_all_clear_answers_over_the_familys_earlier_words(monkeypatch, tmp_path, sample_roster):
    script = REPORTED_MISSING + ":as #43\n我马上去找\n杨秀云没事了\n:as 王老师\n2\n确认结束\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all")
    [relayed] = told_to(after(out, "杨秀云没事了"), TEACHER)
    assert relayed.rstrip().endswith("1. 回复 2. 结束事件")  # shown with its numbers, not queued behind the words
    assert after(out, "2").startswith(CONFIRM)
    closed = after(out, "确认结束")
    assert closed.startswith("事件已结束。")
    # The grandfather's earlier words come back afterwards, with their Reply.
    assert "还在等您回答：\n\n张强（委托监护人）" in closed and "“我马上去找”" in closed
    [told] = told_to(closed, "杨杨（外出务工父母）")
    assert "结果：孩子已找到" in told


def test_every_all_clear_offers_the_close(monkeypatch, tmp_path, sample_roster):
    script = REPORTED_MISSING + (":as #43\n1\n杨秀云没事了\n:as #44\n杨秀云没事了\n:as #43\n杨秀云没事了\n"
                         ":as 王老师\n2\n/quit\n")
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all")
    # The father's first reply is the all clear: acknowledged, and read by everyone as one.
    father = after(out, "杨秀云没事了", nth=2)
    assert father.startswith("谢谢：已记录您对杨秀云事件通知的确认。\n\n谢谢。您关于杨秀云的话已转告")
    [copy] = [m for m in told_to(father, TEACHER) if "“杨秀云没事了”" in m]
    assert copy.startswith("杨杨说杨秀云没事了。") and copy.rstrip().endswith("1. 回复 2. 结束事件")
    # The grandfather's second all clear: to the teacher only, with its close too.
    [again] = told_to(after(out, "杨秀云没事了", nth=3), TEACHER)
    assert again.startswith("张强说杨秀云没事了。") and again.rstrip().endswith("1. 回复 2. 结束事件")
    assert after(out, "2").startswith(CONFIRM)


def test_a_note_and_another_outcome_from_the_confirmation(monkeypatch, tmp_path, sample_roster):
    script = REPORTED_MISSING + ":as #43\n1\n杨秀云没事了\n:as 王老师\n2\n1\n在奶奶家找到的\n确认结束\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all")
    asked = after(out, "2")
    assert "“确认结束” / “添加说明” / “其他结果” / “暂不结束”" in asked  # a note is its own choice (fix6v)
    assert "事件已结束" not in after(out, "1", since="2")  # never a bare number
    assert "说明：在奶奶家找到的" in after(out, "在奶奶家找到的")
    [told] = told_to(after(out, "确认结束"), "张强（委托监护人）")
    assert "结果：孩子已找到" in told and "在奶奶家找到的" in told


def test_the_confirmation_in_english(monkeypatch, tmp_path, sample_roster):
    script = REPORTED_MISSING + ":as #43\n1\n杨秀云没事了\n:as 王老师\n2\nConfirm close\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all", "--lang", "en")
    asked = after(out, "2")
    assert asked.startswith("Close the incident about 杨秀云")
    assert "“Confirm close” / “Add a note” / “Another outcome” / “Keep it open”" in asked
    assert after(out, "Confirm close").startswith("The incident is closed.")


def test_those_first_alerted_after_the_all_clear_read_it_once_in_their_alert(monkeypatch, tmp_path, sample_roster):
    script = REPORTED_MISSING + ":wait 2m\n:as #43\n1\n杨秀云没事了\n:wait 1h\n:wait 30m\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all")
    official = "镇教育办张科长（教育主管部门）"
    alerts = [m for m in told_to(after(out, ":wait 1h"), official) if m.startswith("突发事件：杨秀云")]
    [alert] = alerts
    # In the alert itself, under the report: the news since, not as an old reminder line.
    assert ("报告人：王老师，报告时间：2026年12月4日 17:58。\n"
            "报告之后，委托监护人于2026年12月4日 18:00说：“杨秀云没事了”\n") in alert
    reminders = told_to(after(out, ":wait 30m"), official)
    assert reminders and all(r.startswith("第") and "杨秀云没事了" not in r for r in reminders)  # not twice
    # The parents, alerted before it, read it beside each reminder as before (fixj).
    [first, *_] = told_to(after(out, ":wait 1h"), "杨杨（外出务工父母）")
    assert "\n张强 2026年12月4日 18:00：“杨秀云没事了”\n" in first
