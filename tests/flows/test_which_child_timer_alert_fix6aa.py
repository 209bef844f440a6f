"""Her words passed on by the "which child?" timer are no reply to an alert that came meanwhile (fix6aa, issue 6).

李雪 writes ``孩子发烧两天了`` at the Friday check-in and is asked which child; 张老师 then reports 刘帅 missing.
At 30 minutes the timer passed her words on as a reply to 刘帅's alert: 张老师 read "李雪于18:30回复了关于刘帅的
事件通知" — words written before the alert. Now they are one plain message naming both children.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"
SCRIPT = (":as 李雪\n:wait 2m\n{words}\n:as 张老师\n/incident 刘帅\n3\n{missing}\n1\n"
          ":as 李雪\n:wait 31m\n")


def test_words_before_the_alert_are_a_plain_message(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, SCRIPT.format(words="孩子发烧两天了", missing="放学后没回家"),
                   FRIDAY, "--all")
    later = after(out, ":wait 31m")
    teacher = "\n".join(told_to(later, "张老师（班主任）"))
    assert "李雪（刘婷婷、刘帅的外祖母，一年级（3）班）留言：\n“孩子发烧两天了”" in teacher
    assert "回复了关于刘帅" not in teacher and "确认收到关于刘帅" not in teacher
    told = "\n".join(told_to(later, "李雪（委托监护人）"))
    assert "您关于刘婷婷、刘帅的留言已转给张老师（班主任）" in told
    assert "事件通知的确认" not in told and "突发事件）的留言" not in told


def test_in_english_too(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, SCRIPT.format(words="she has had a fever for two days",
                                                                       missing="not home after school"),
                   FRIDAY, "--all", "--lang", "en")
    later = after(out, ":wait 31m")
    teacher = "\n".join(told_to(later, "张老师 (class teacher)"))
    assert "“she has had a fever for two days”" in teacher
    assert "to the alert about 刘帅" not in teacher
    assert "Your message about 刘婷婷, 刘帅 was passed to 张老师 (class teacher)" in "\n".join(
        told_to(later, "李雪 (entrusted guardian)"))
