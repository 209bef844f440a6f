"""No "good week" for a child whose emergency is open: the check-in waits until the incident is closed (fix6o).

Friday 18:00: the check-in reaches 杨秀云's grandfather 张强, then 王老师 reports she fell in the yard and split her
head (an emergency). He taps ``1`` on the alert, then ``1`` again — a tap too many, which recorded
"杨秀云这周很好" while the emergency was open. Now the check-in is held until 王老师 closes the incident, and asked
again, with its numbers, on his next message after the close.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"
HURT = ":wait 2m\n报告 杨秀云\n1\n1\n在操场摔倒了头破了\n1\n:as #43\n1\n"
HELD = "关于杨秀云的每周问题先等一等，等杨秀云的突发事件结束后我再问您。"
NOT_RECORDED = "这没有记录为杨秀云这周情况的回答：每周问题要等杨秀云的突发事件结束后再问。"


def test_a_second_tap_on_the_alert_records_no_good_week(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, HURT + "1\n好\n", FRIDAY, "--all")
    acked = after(out, "1", ":as #43")
    assert acked.startswith("谢谢：已记录您对杨秀云事件通知的确认。") and HELD in acked
    assert "1. 很好" not in acked
    assert after(out, "1", ":as #43", nth=2).startswith(NOT_RECORDED)
    assert after(out, "好", ":as #43").startswith(NOT_RECORDED)
    assert "这周很好" not in out


def test_his_words_meanwhile_reach_the_teacher(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, HURT + "孩子头还疼吗\n", FRIDAY, "--all")
    [teacher] = told_to(after(out, "孩子头还疼吗"), "王老师（班主任）")
    assert "“孩子头还疼吗”" in teacher


def test_the_check_in_comes_back_after_the_close(monkeypatch, tmp_path, sample_roster):
    # The close notice brings the held check-in back at once (conv6l): his 1 answers the question he sees.
    script = HURT + "1\n:as 王老师\n/close\n3\n1\n确认结束\n:as #43\n1\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all")
    notice = after(out, "确认结束").split("[→ 张强（委托监护人）]\n", 1)[1].split("\n\n", 1)[0]
    assert notice.endswith("还在等您回答：\n杨秀云这周过得怎么样？\n1. 很好 2. 一般 3. 需要帮助")
    assert after(out, "1", "确认结束").startswith("谢谢！已记录：杨秀云这周很好。")
