"""镇教育办张科长's /me and /due (new-user trial LOW-8, fix6al).

His /me said "您督导本县全部学校" (he is a town's education office), and his /due said "您没有待办事项" while his own
acknowledgement of an emergency alert waited just below it.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo

WEEKDAY = "2026-12-02 10:00"
REPORTED = "报告 杨秀云\n1\n1\n在操场摔倒了头破了\n1\n:wait 3h\n:as 张科长\n"


def test_the_town_officials_me_says_his_town_and_his_due_lists_the_alert(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, REPORTED + "/me\n/due\n1\n/due\n/quit\n", WEEKDAY)
    me = after(out, "/me")
    assert "您督导清溪镇的学校：示例县清溪镇中心小学" in me and "本县" not in me
    due = after(out, "/due")
    assert due.startswith("等您确认收到：关于杨秀云的突发事件通知（见下方）。")
    assert "没有待办事项" not in due and due.rstrip().endswith("1. 确认收到")
    assert after(out, "/due", nth=2).startswith("您没有待办事项")  # acknowledged: nothing waits any more


def test_in_english(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, REPORTED + "/me\n/due\n/quit\n", WEEKDAY, "--lang", "en")
    assert "You oversee the schools of 清溪镇: 示例县清溪镇中心小学" in after(out, "/me")
    assert after(out, "/due").startswith("Waiting for your acknowledgement: the alert about 杨秀云 (below).")
