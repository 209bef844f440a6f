"""Trial-user findings of the conv6o round (issue 6, DESIGN.md "Conversations": one question at a time).

1. ``取消`` at one sibling's incident alert acknowledges that alert only: the second alert, sent meanwhile
   and queued behind it (never read with its choices), is asked next, named, and stays unacknowledged — the
   reporter is not told it was confirmed, and its chain goes on (reminders) until it is answered.
2. A ``1`` typed after an incident's close notice answers no closed alert: it goes to the question current
   (the Friday check-in) or gets the polite "no question waiting", and the reporter is told nothing.
"""

from __future__ import annotations

import pytest

from tests.support.demo import after as _after
from tests.support.demo import run_demo
from tests.support.demo import told_to as _to

WEEKDAY = "2026-12-02 10:00"
FRIDAY = "2026-12-04 17:58"
# 张老师 reports both of 李雪's grandchildren (urgent): 刘婷婷's alert is shown, 刘帅's queued behind it.
SIBLINGS = ":as 张老师\n报告 刘婷婷\n1\n1\n摔了\n1\n报告 刘帅\n1\n1\n也摔了\n1\n:as 李雪\n"
SIBLINGS_EN = ":as 张老师\nreport 刘婷婷\n1\n1\nfell\n1\nreport 刘帅\n1\n1\nfell too\n1\n:as 李雪\n"



def _own(told: str) -> str:
    """What the person typing read (before any message to someone else)."""
    return told.split("\n[→ ", 1)[0]


def test_cancel_at_a_sibling_alert_acknowledges_the_alert_shown_only(monkeypatch, tmp_path, sample_roster):
    script = f"{SIBLINGS}取消\n:wait 11m\n收到\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all")
    told = _after(out, "取消")
    own = _own(told)
    assert own.startswith(
        "已记录：您已收到关于刘婷婷的突发事件通知。通知不能取消；请按通知说的去做。还有一条通知等您确认"
    )
    assert "刘婷婷、刘帅" not in own and "在这里也不用再回复什么" not in own
    # 刘帅's alert is asked next, named, with its choice: one word answers it.
    asked = own.split("还在等您回答：", 1)[1]
    assert "突发事件：刘帅（一年级（3）班），受伤，紧急。" in asked and asked.rstrip().endswith("1. 确认收到")
    # The reporter reads 刘婷婷's acknowledgement only.
    teacher = "\n".join(_to(told, "张老师（班主任）"))
    assert "确认收到关于刘婷婷" in teacher and "刘帅" not in teacher
    # 刘帅's step is still waiting: its chain goes on (the reminder), until 李雪 answers it.
    later = _after(out, ":wait 11m")
    reminders = _to(later, "李雪（委托监护人）")
    assert any("关于刘帅（一年级（3）班）的突发事件（受伤，紧急）您尚未确认" in m for m in reminders)
    answered = _after(out, "收到", ":wait 11m")
    assert _own(answered).startswith("谢谢：已记录您对刘帅事件通知的确认。")
    assert any("确认收到关于刘帅" in m for m in _to(answered, "张老师（班主任）"))


def test_cancel_at_a_sibling_alert_in_english(monkeypatch, tmp_path, sample_roster):
    script = f"{SIBLINGS_EN}cancel\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all", "--lang", "en")
    told = _after(out, "cancel")
    own = _own(told)
    assert own.startswith(
        "Noted: you have received the alert about 刘婷婷. An alert cannot be cancelled; please "
        "do what it asks. Another alert is waiting for your answer: it follows."
    )
    assert "nothing more is needed" not in own
    asked = own.split("Still waiting for your answer:", 1)[1]
    assert "Incident: 刘帅 (一年级（3）班), injury, emergency." in asked
    assert asked.rstrip().endswith("1. Acknowledge")
    teacher = "\n".join(_to(told, "张老师 (class teacher)"))
    assert "acknowledged the incident about 刘婷婷" in teacher and "刘帅" not in teacher


# 收到 acknowledges both alerts delivered to her chat (fix6aa: tests/flows/test_ack_both_alerts_fix6aa.py); a number
# answers the alert shown only.
@pytest.mark.parametrize("first", ["1"])
def test_any_reply_at_a_sibling_alert_answers_it_only(monkeypatch, tmp_path, sample_roster, first):
    script = f"{SIBLINGS}{first}\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all")
    told = _after(out, first, ":as 李雪")
    assert "突发事件：刘帅（一年级（3）班），受伤，紧急。" in _own(told)
    teacher = "\n".join(_to(told, "张老师（班主任）"))
    assert "确认收到关于刘婷婷" in teacher and "刘帅" not in teacher


CLOSED = "报告 杨秀云\n1\n2\n摔了\n1\n结束事件\n1\n1\n确认结束\n:as #43\n1\n/quit\n"
CLOSED_EN = "report 杨秀云\n1\n2\nfell\n1\nclose incident\n1\n1\nconfirm close\n:as #43\n1\n/quit\n"


def test_a_number_after_the_close_notice_answers_no_closed_alert(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, CLOSED, WEEKDAY, "--all")
    assert "已由王老师于2026年12月2日 10:00结束" in _after(out, "确认结束")
    told = _after(out, "1", ":as #43")
    assert told.strip() == "现在没有需要回复数字的问题。"  # nothing to the reporter either


def test_a_number_after_the_close_notice_in_english(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, CLOSED_EN, WEEKDAY, "--all", "--lang", "en")
    assert "was closed by 王老师" in _after(out, "confirm close")
    told = _after(out, "1", ":as #43")
    assert told.strip() == "No question of mine is waiting for a number just now."


def test_a_number_after_the_close_notice_answers_the_check_in(monkeypatch, tmp_path, sample_roster):
    script = ":wait 2m\n:as 张老师\n报告 刘帅\n1\n2\n摔了一跤\n1\n结束事件\n1\n1\n确认结束\n:as 李雪\n1\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all")
    told = _after(out, "1", ":as 李雪")
    assert told.startswith("谢谢！已记录：刘婷婷这周很好。")
    assert "[→ " not in told and "事件通知的确认" not in told
