"""A guardian's words while alerts about two of her children wait reach the incident of the child named (fix6x).

张老师 reports 刘婷婷 not back after school, 王老师 reports 刘帅 not at the bus stop; their guardian 李雪 writes
"Tingting is with me, Shuai is not". It was filed on 刘婷婷's alert only: 王老师, who is looking for 刘帅, read
nothing, and 刘帅's alert was shown again as waiting.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"
ALERTS_EN = (":as 张老师\n/incident 刘婷婷\n3\nnot back after school\n1\n"
             ":as 王老师\n/incident 刘帅\n3\nnot at bus stop\n1\n:as 李雪\n")
ALERTS_ZH = (":as 张老师\n/incident 刘婷婷\n3\n放学后没回家\n1\n"
             ":as 王老师\n/incident 刘帅\n3\n不在车站\n1\n:as 李雪\n")


def _en(monkeypatch, tmp_path, sample_roster, script: str) -> str:
    return run_demo(monkeypatch, tmp_path, sample_roster, ALERTS_EN + script, FRIDAY, "--all", "--lang", "en")


def test_words_naming_both_children_reach_both_reporters(monkeypatch, tmp_path, sample_roster):
    words = "Tingting is with me, Shuai is not"
    told = after(_en(monkeypatch, tmp_path, sample_roster, words + "\n"), words)
    assert "your acknowledgement of the alert about 刘婷婷 is recorded" in told
    assert "your acknowledgement of the alert about 刘帅 is recorded" in told
    assert "Still waiting for your answer" not in told
    to_wang = "\n".join(told_to(told, "王老师 (class teacher)"))
    assert "to the alert about 刘帅" in to_wang and f"“{words}”" in to_wang
    assert "to the alert about 刘婷婷" in "\n".join(told_to(told, "张老师 (class teacher)"))


def test_in_chinese_with_nicknames(monkeypatch, tmp_path, sample_roster):
    words = "婷婷在我这，帅帅不在"
    out = run_demo(monkeypatch, tmp_path, sample_roster, ALERTS_ZH + words + "\n", FRIDAY, "--all")
    told = after(out, words)
    assert "已记录您对刘婷婷事件通知的确认" in told and "已记录您对刘帅事件通知的确认" in told
    assert f"“{words}”" in "\n".join(told_to(told, "王老师（班主任）"))


def test_words_naming_the_queued_child_go_to_his_alert_only(monkeypatch, tmp_path, sample_roster):
    words = "shuaishuai went to his friend's house, I am going there"
    told = after(_en(monkeypatch, tmp_path, sample_roster, words + "\n"), words)
    assert "your acknowledgement of the alert about 刘帅 is recorded" in told
    assert "alert about 刘婷婷 is recorded" not in told
    assert f"“{words}”" in "\n".join(told_to(told, "王老师 (class teacher)"))
    assert "Still waiting for your answer" in told and "not back after school" in told  # 婷婷's alert, not lost


def test_words_naming_neither_ask_which_child(monkeypatch, tmp_path, sample_roster):
    words = "I am going to look now"
    out = _en(monkeypatch, tmp_path, sample_roster, words + "\n2\n")
    asked = after(out, words)
    assert f"Which child are your words “{words}” about?" in asked
    assert "1. 刘婷婷 (reported at Dec 4, 2026 17:58) 2. 刘帅 (reported at Dec 4, 2026 17:58) 3. Both" in asked
    assert "[→ " not in asked  # nothing filed on a guess
    picked = after(out, "2", words)
    assert "your acknowledgement of the alert about 刘帅 is recorded" in picked
    assert f"“{words}”" in "\n".join(told_to(picked, "王老师 (class teacher)"))
    assert "not back after school" in picked.split("[→ ", 1)[0]  # 婷婷's alert is still asked


def test_both_picked_reaches_each_reporter(monkeypatch, tmp_path, sample_roster):
    words = "我马上去找"
    out = run_demo(monkeypatch, tmp_path, sample_roster, ALERTS_ZH + words + "\n3\n", FRIDAY, "--all")
    assert "您说的“我马上去找”是关于哪个孩子的？" in after(out, words)
    picked = after(out, "3", words)
    assert "已记录您对刘婷婷事件通知的确认" in picked and "已记录您对刘帅事件通知的确认" in picked
    assert f"“{words}”" in "\n".join(told_to(picked, "王老师（班主任）"))
    assert f"“{words}”" in "\n".join(told_to(picked, "张老师（班主任）"))


def test_a_name_typed_at_the_question_answers_it(monkeypatch, tmp_path, sample_roster):
    words = "I am going to look now"
    picked = after(_en(monkeypatch, tmp_path, sample_roster, words + "\nTingting\n"), "Tingting", words)
    assert "your acknowledgement of the alert about 刘婷婷 is recorded" in picked
    assert "alert about 刘帅 is recorded" not in picked


def test_a_bare_ok_acknowledges_both_alerts_she_was_sent(monkeypatch, tmp_path, sample_roster):
    # Both alerts reached her chat (刘帅's without its choices): "ok" acknowledges both, asks nothing (fix6aa).
    # An alert not delivered to her chat is never acknowledged (bot.flows.reached._seen_alerts).
    told = after(_en(monkeypatch, tmp_path, sample_roster, "ok\n"), "ok")
    assert "Which child" not in told
    assert "your acknowledgement of the alert about 刘婷婷, 刘帅 is recorded" in told
    assert "Still waiting for your answer" not in told
