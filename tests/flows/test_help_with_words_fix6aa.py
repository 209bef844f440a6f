"""A family member's help word followed by words is their message, never the command list (fix6aa, issue 6).

李雪 typed ``帮助 婷婷发烧了`` at the Friday check-in, ``help please, she is sick``, and ``帮助 孩子还没回来`` with
an alert about 刘帅 waiting: each showed the help menu, the words went nowhere and the alert stayed
unacknowledged. With a comma (``帮助，…``) they were a message already; now the space reads the same.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"
ALERT = ":as 张老师\n报告 刘帅\n3\n放学后没回家\n1\n:as 李雪\n"


def test_help_word_and_words_at_the_checkin_are_recorded_and_passed_on(monkeypatch, tmp_path, sample_roster):
    words = "帮助 婷婷发烧了"
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as 李雪\n:wait 2m\n{words}\n", FRIDAY, "--all")
    told = after(out, words)
    assert "/help (帮助)" not in told
    assert "已转给张老师" in told
    assert f"“{words}”" in "\n".join(told_to(told, "张老师（班主任）"))


def test_help_please_in_english_is_passed_on(monkeypatch, tmp_path, sample_roster):
    words = "help please, she is sick"
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as 李雪\n{words}\n", FRIDAY, "--all", "--lang", "en")
    told = after(out, words)
    assert "/help (帮助)" not in told
    assert "was passed to 张老师 (class teacher)" in told
    assert f"“{words}”" in "\n".join(told_to(told, "张老师 (class teacher)"))


def test_help_word_and_words_acknowledge_the_alert(monkeypatch, tmp_path, sample_roster):
    words = "帮助 孩子还没回来"
    told = after(run_demo(monkeypatch, tmp_path, sample_roster, ALERT + words + "\n", FRIDAY, "--all"), words)
    assert "已记录您对刘帅事件通知的确认" in told
    assert f"“{words}”" in "\n".join(told_to(told, "张老师（班主任）"))


def test_slash_help_with_words_and_help_alone_are_still_the_list(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 李雪\n/help 婷婷\n帮助 一下\nhelp\n", FRIDAY, "--all",
                   "--lang", "en")
    for typed in ("/help 婷婷", "帮助 一下", "help"):
        told = after(out, typed).split("\n> ", 1)[0]
        assert "/help (帮助)" in told and "[→ " not in told, typed


def test_staff_help_with_words_is_still_the_list(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 张老师\n帮助 报告\n", FRIDAY, "--all")
    assert "帮助（/help）— 显示本列表" in after(out, "帮助 报告")
