"""``刘帅没事了，婷婷还没找到``: 刘帅's all clear and 婷婷's news, never an all clear for both or for neither (fix6g).

Testers: 李雪, guardian of 刘婷婷 and 刘帅, both reported missing, confirmed 刘帅's alert and wrote at 婷婷's
``刘帅没事了，婷婷还没找到``. Nobody handling 刘帅's incident heard he was safe (the whole message read as no all
clear); at 刘帅's alert the same words went to 刘帅's chain as his all clear quoting "婷婷还没找到". Now the
message is read clause by clause: each child's words reach that child's incident only.
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo, told_to

AFTERNOON = "2026-12-02 16:00"
BOTH_MISSING = (":as 张老师\n报告 刘帅\n3\n1\n放学后没回家\n1\n报告 刘婷婷\n3\n1\n放学后没回家\n1\n:wait 2m\n"
                ":as 李雪\n")
WORDS = "刘帅没事了，婷婷还没找到"
SHUAI_CLEARED = "谢谢。您关于刘帅的话已转告收到这起突发事件通知的人：张老师、刘亮。"


def _quoted(message: str) -> str:
    return next(line for line in message.splitlines() if line.startswith("“"))


def _about(messages: list[str], child: str) -> list[str]:
    return [m for m in messages if f"关于{child}（一年级（3）班）" in m]


@pytest.mark.parametrize("words", [WORDS, "帅帅找到了，在邻居家。婷婷还没找到"])
def test_at_her_sisters_alert_the_brother_is_cleared_and_her_words_reach_her_reporter(monkeypatch, tmp_path,
                                                                                     sample_roster, words):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{BOTH_MISSING}1\n{words}\n/quit\n", AFTERNOON, "--all")
    told = after(out, words)
    assert told.startswith("谢谢：已记录您对刘婷婷事件通知的确认。\n报告人张老师会看到您的留言。")  # her step
    assert SHUAI_CLEARED in told
    teacher = told_to(told, "张老师（班主任）")
    shuai, tingting = _about(teacher, "刘帅"), _about(teacher, "刘婷婷")
    assert any(m.startswith("李雪说刘帅没事了。") and "结束事件" in m and "婷婷" not in _quoted(m)
               for m in shuai)  # 刘帅's all clear with the close, his words only
    assert any("“婷婷还没找到”" in m for m in tingting)
    assert not any("说刘婷婷没事了" in m or "如果刘婷婷确实平安" in m for m in teacher)  # never her all clear
    father = told_to(told, "刘亮（外出务工父母）")
    assert any(m.startswith("李雪说刘帅没事了。") for m in father)
    assert not any("刘婷婷没事了" in m for m in father)


def test_at_the_brothers_alert_his_all_clear_quotes_only_his_words(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{BOTH_MISSING}{WORDS}\n/quit\n", AFTERNOON, "--all")
    told = after(out, WORDS)
    assert told.startswith("谢谢：已记录您对刘帅事件通知的确认。")
    teacher = told_to(told, "张老师（班主任）")
    assert any(m.startswith("李雪说刘帅没事了。") and "“刘帅没事了”" in m for m in teacher)
    assert not any(f"“{WORDS}”" in m for m in teacher)  # 刘帅's chain never reads 婷婷's news as his all clear
    assert any("“婷婷还没找到”" in m for m in _about(teacher, "刘婷婷"))


def test_with_both_alerts_answered_the_words_are_split_too(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{BOTH_MISSING}1\n1\n{WORDS}\n/quit\n", AFTERNOON,
                   "--all")
    told = after(out, WORDS)
    assert told.startswith(SHUAI_CLEARED)
    teacher = told_to(told, "张老师（班主任）")
    assert any("“婷婷还没找到”" in m for m in _about(teacher, "刘婷婷"))
    assert not any("说刘婷婷没事了" in m for m in teacher)


def test_both_fine_in_two_clauses_clears_both(monkeypatch, tmp_path, sample_roster):
    words = "刘帅没事了，婷婷也找到了"
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{BOTH_MISSING}1\n1\n{words}\n/quit\n", AFTERNOON,
                   "--all")
    told = after(out, words)
    assert SHUAI_CLEARED in told and "谢谢。您关于刘婷婷的话已转告收到这起突发事件通知的人" in told
