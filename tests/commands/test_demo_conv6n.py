"""Trial-user findings of the conv6n round (issue 6, DESIGN.md "Conversations").

1. ``救命`` typed after a reply to an incident alert (``好的，我马上去卫生院``, or ``收到`` then
   ``好了没事了``) is the emergency: 【紧急】 to the class teacher, ahead of the reply relayed before it,
   and the grandfather is never told the teacher "already has your urgent message" when none was sent.
2. ``救命`` at one sibling's alert is about that child only: the 【紧急】 names 刘帅, and says his incident
   is being handled (no "report it" line naming both children).
3. The reporter's notice of that acknowledgement carries the words (``救命``), not a bare "confirmed"
   (since fix6ab a reporter who is the class teacher reads them once, in the 【紧急】).
"""

from __future__ import annotations

import pytest

from tests.support.demo import URGENT_TOLD, run_demo
from tests.support.demo import after as _after
from tests.support.demo import told_to as _to

WEEKDAY = "2026-12-02 10:00"
FRIDAY = "2026-12-04 17:58"
# 王老师 reports 杨秀云's fall (not urgent); the alert reaches grandfather 张强 (#43).
FALL = "报告 杨秀云\n1\n2\n摔了\n1\n:as #43\n"
FALL_EN = "report 杨秀云\n1\n2\nfell\n1\n:as #43\n"
# 张老师 reports 刘帅's fall at 18:00; grandmother 李雪 has the alert, her Friday check-ins waiting under it.
SIBLING = ":wait 2m\n:as 张老师\n报告 刘帅\n1\n2\n摔了一跤\n1\n:as 李雪\n"


@pytest.mark.parametrize("replies", ["好的，我马上去卫生院", "收到\n好了没事了"])
def test_help_after_replying_to_an_alert_is_urgent(monkeypatch, tmp_path, sample_roster, replies):
    script = f"{FALL}{replies}\n救命\n:wait 10m\n救命\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, WEEKDAY, "--all")
    told = _after(out, "救命")
    assert told.startswith(f"紧急情况请马上拨打120（急救）或110（报警）。\n{URGENT_TOLD}")
    assert "几分钟前已经收到" not in told
    urgent = [m for m in _to(told, "王老师（班主任）") if m.startswith("【紧急】")]
    assert len(urgent) == 1 and "“救命”" in urgent[0]
    # It heads the teacher's queue: not held behind the reply relayed a moment before.
    assert urgent[0].rstrip().endswith("1. 回复")
    assert "请先回答上面的问题" not in urgent[0]
    # The second 救命, ten minutes on, is a repeat of a 【紧急】 really sent: "already has it" is true now.
    again = _after(out, "救命", ":wait 10m")
    assert "王老师（班主任）几分钟前已经收到您关于杨秀云的紧急消息" in again


def test_help_after_replying_to_an_alert_in_english(monkeypatch, tmp_path, sample_roster):
    script = f"{FALL_EN}ok\nall clear\nhelp! urgent\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, WEEKDAY, "--all", "--lang", "en")
    told = _after(out, "help! urgent")
    assert "Your message about 杨秀云 was sent to 王老师 (class teacher) as urgent, just now" in told
    assert "already has your urgent message" not in told
    urgent = [m for m in _to(told, "王老师 (class teacher)") if m.startswith("URGENT (")]
    assert len(urgent) == 1 and urgent[0].rstrip().endswith("1. Reply")


@pytest.mark.parametrize("answer", ["", "1\n"])
def test_help_at_one_siblings_alert_is_about_that_child(monkeypatch, tmp_path, sample_roster, answer):
    """At the alert, or right after confirming it: the 【紧急】 names 刘帅 only, his incident being handled."""
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{SIBLING}{answer}救命\n/quit\n", FRIDAY, "--all")
    told = _after(out, "救命")
    assert told.startswith("紧急情况请马上拨打120（急救）或110（报警）。\n"
                           "您关于刘帅的留言已作为紧急消息马上转给张老师（班主任）")
    urgent = [m for m in _to(told, "张老师（班主任）") if m.startswith("【紧急】")]
    assert len(urgent) == 1
    assert urgent[0].startswith("【紧急】（2026年12月4日 18:00）李雪（刘帅的外祖母，一年级（3）班）留言：")
    assert "刘帅的突发事件已经在处理中（张老师于2026年12月4日 18:00报告），不需要再报告。" in urgent[0]
    assert "刘婷婷" not in urgent[0]


def test_help_naming_the_other_sibling_at_an_alert_is_about_her(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{SIBLING}婷婷不见了\n/quit\n", FRIDAY, "--all")
    urgent = [m for m in _to(_after(out, "婷婷不见了"), "张老师（班主任）") if m.startswith("【紧急】")]
    assert len(urgent) == 1 and "李雪（刘婷婷的外祖母" in urgent[0]


def test_help_at_one_siblings_alert_in_english(monkeypatch, tmp_path, sample_roster):
    script = ":wait 2m\n:as 张老师\nreport 刘帅\n1\n2\nfell\n1\n:as 李雪\nhelp! urgent\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all", "--lang", "en")
    told = _after(out, "help! urgent")
    assert "Your message about 刘帅 was sent to 张老师 (class teacher) as urgent" in told
    urgent = [m for m in _to(told, "张老师 (class teacher)") if m.startswith("URGENT (")]
    assert len(urgent) == 1 and "刘婷婷" not in urgent[0]
    assert "An incident about 刘帅 is open already" in urgent[0]


def test_the_reporter_reads_the_emergency_words_not_a_bare_confirmed(monkeypatch, tmp_path, sample_roster):
    """Changed in fix6ab: 张老师 reported and is the class teacher: the words reach her once, in the 【紧急】."""
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{SIBLING}救命\n/quit\n", FRIDAY, "--all")
    told = _after(out, "救命")
    assert "谢谢：已记录您对刘帅事件通知的确认。" in told  # any reply proves she was reached
    to_teacher = _to(told, "张老师（班主任）")
    assert "李雪（委托监护人）已于2026年12月4日 18:00确认收到关于刘帅" not in "\n".join(to_teacher)
    words = [m for m in to_teacher if "“救命”" in m]
    assert len(words) == 1 and words[0].startswith("【紧急】（2026年12月4日 18:00）李雪（刘帅的外祖母")
    assert words[0].rstrip().endswith("1. 回复")  # one question to answer, under the words


def test_a_principal_who_reported_reads_the_emergency_words(monkeypatch, tmp_path, sample_roster):
    """The reporter is not the class teacher: 王校长 reads 张强's 救命 as his reply to the alert, with the Reply."""
    script = ":wait 2m\n:as 王校长\n报告 杨秀云\n2\n1\n发烧\n1\n:as #43\n救命\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all")
    told = _after(out, "救命")
    assert "谢谢：已记录您对杨秀云事件通知的确认。" in told
    assert any(m.startswith("【紧急】") and "“救命”" in m for m in _to(told, "王老师（班主任）"))
    words = [m for m in _to(told, "王校长（校领导）") if "“救命”" in m]
    assert len(words) == 1 and words[0].startswith(
        "张强（委托监护人）于2026年12月4日 18:00回复了关于杨秀云（一年级（1）班）的事件通知")
    assert "确认收到关于杨秀云" not in told


def test_the_reporter_reads_the_emergency_words_in_english(monkeypatch, tmp_path, sample_roster):
    script = ":wait 2m\n:as 张老师\nreport 刘帅\n1\n2\nfell\n1\n:as 李雪\nSOS\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all", "--lang", "en")
    told = _after(out, "SOS")
    assert "your acknowledgement of the alert about 刘帅 is recorded" in told
    to_teacher = [m for m in _to(told, "张老师 (class teacher)") if "“SOS”" in m]
    assert len(to_teacher) == 1 and to_teacher[0].startswith("URGENT (")  # once, in the urgent message (fix6ab)
    assert "acknowledged" not in "\n".join(_to(told, "张老师 (class teacher)"))
