"""A grandmother of two types without commas, or asks after the other child: each child's words go to its incident.

李雪 looks after 刘帅 and 刘婷婷; 张老师 reports both missing. On her phone she types ``刘帅没事了婷婷还没找到``
(no comma): it used to be read whole, as no all clear, so nobody handling 刘帅's incident heard he was safe. And
``刘帅找到了，婷婷呢`` (found one, asking about the other) went out whole as a question to 婷婷's reporter, never as
刘帅's all clear (fix6l).
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo, told_to

AFTERNOON = "2026-12-02 16:00"
BOTH_MISSING = (":as 张老师\n报告 刘帅\n3\n1\n放学后没回家\n1\n报告 刘婷婷\n3\n1\n放学后没回家\n1\n:wait 2m\n"
                ":as 李雪\n")
SHUAI_CLEARED = "谢谢。您关于刘帅的话已转告收到这起突发事件通知的人：张老师、刘亮。"


def _about(messages: list[str], child: str) -> list[str]:
    return [m for m in messages if f"关于{child}（一年级（3）班）" in m]


@pytest.mark.parametrize(("words", "his", "hers"), [
    ("刘帅没事了婷婷还没找到", "“刘帅没事了”", "“婷婷还没找到”"),
    ("帅帅没事婷婷还没找到", "“帅帅没事”", "“婷婷还没找到”"),
    ("刘帅找到了，婷婷呢", "“刘帅找到了”", "“婷婷呢”"),
    ("刘帅找到了婷婷呢？", "“刘帅找到了”", "“婷婷呢？”"),
])
def test_both_alerts_answered_the_brother_is_cleared_and_her_words_reach_her_reporter(
        monkeypatch, tmp_path, sample_roster, words, his, hers):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{BOTH_MISSING}1\n1\n{words}\n/quit\n", AFTERNOON,
                   "--all")
    told = after(out, words)
    assert told.startswith(SHUAI_CLEARED)
    teacher = told_to(told, "张老师（班主任）")
    assert any(m.startswith("李雪说刘帅没事了。") and his in m for m in _about(teacher, "刘帅"))
    assert any(hers in m for m in _about(teacher, "刘婷婷"))
    assert not any("说刘婷婷没事了" in m or "如果刘婷婷确实平安" in m for m in teacher)  # never her all clear
    father = told_to(told, "刘亮（外出务工父母）")
    assert any(m.startswith("李雪说刘帅没事了。") for m in father)
    assert not any("刘婷婷没事了" in m for m in father)


def test_at_her_sisters_alert_the_question_acknowledges_it_and_clears_the_brother(monkeypatch, tmp_path,
                                                                                 sample_roster):
    words = "刘帅找到了婷婷呢"
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{BOTH_MISSING}1\n{words}\n/quit\n", AFTERNOON, "--all")
    told = after(out, words)
    assert told.startswith("谢谢：已记录您对刘婷婷事件通知的确认。")  # 婷婷's alert was the question shown
    assert SHUAI_CLEARED in told
    teacher = told_to(told, "张老师（班主任）")
    assert any("“婷婷呢”" in m for m in _about(teacher, "刘婷婷"))
    assert not any("说刘婷婷没事了" in m for m in teacher)


@pytest.mark.parametrize("words", ["刘帅和婷婷都找到了", "刘帅找到婷婷了"])
def test_names_joined_or_one_finding_the_other_are_one_clause_about_both(monkeypatch, tmp_path, sample_roster,
                                                                         words):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{BOTH_MISSING}1\n1\n{words}\n/quit\n", AFTERNOON,
                   "--all")
    told = after(out, words)
    assert SHUAI_CLEARED in told and "谢谢。您关于刘婷婷的话已转告收到这起突发事件通知的人" in told


def test_both_asked_about_clears_nobody(monkeypatch, tmp_path, sample_roster):
    words = "刘帅没事吧？婷婷呢？"
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{BOTH_MISSING}1\n1\n{words}\n/quit\n", AFTERNOON,
                   "--all")
    told = after(out, words)
    assert "没事了" not in told and "已转告收到这起突发事件通知的人" not in told
