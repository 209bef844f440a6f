"""A check-in answer word at the note question while another child's check-in waits: "meant for 刘帅?" (fix6x).

A breaker: 李雪 answers 刘婷婷's check-in ``good``, then types ``so-so`` at "anything to tell 刘婷婷's teacher?"
while 刘帅's question waits behind it, not yet asked. "so-so" was kept as a note about 刘婷婷.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"


def test_so_so_asks_whether_it_was_meant_for_the_other_child(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 李雪\n:wait 2m\ngood\nso-so\n1\n", FRIDAY, "--all",
                   "--lang", "en")
    asked = after(out, "so-so")
    assert asked.startswith("Was “so-so” meant for 刘帅?")
    assert "1. Yes, for 刘帅 2. No, it is a note about 刘婷婷" in asked
    assert "[→ " not in asked  # no note passed on meanwhile
    answered = after(out, "1", "so-so")
    assert "Recorded: 刘帅 this week: So-so." in answered
    assert "[→ 张老师" not in answered  # no "so-so" note about 刘婷婷 either


def test_no_keeps_it_as_the_note_in_chinese(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 李雪\n:wait 2m\n很好\n一般\n不是\n", FRIDAY, "--all")
    assert "“一般”是说刘帅的吗？" in after(out, "一般")
    kept = after(out, "不是")
    assert "您关于刘婷婷的留言已转给张老师（班主任）" in kept
    assert any("“一般”" in told for told in told_to(kept, "张老师（班主任）"))
    assert "刘帅这周过得怎么样？\n1. 很好 2. 一般 3. 需要帮助" in kept  # his question is still asked


def test_yes_typed_answers_it(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 李雪\n:wait 2m\n很好\n需要帮助\n是\n", FRIDAY, "--all")
    said = after(out, "是")
    assert "已记录：刘帅这周需要帮助。" in said


def test_other_words_at_the_note_are_still_the_note(monkeypatch, tmp_path, sample_roster):
    words = "she was a bit tired this week"
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as 李雪\n:wait 2m\ngood\n{words}\n", FRIDAY, "--all",
                   "--lang", "en")
    told = after(out, words)
    assert "meant for" not in told and "Your message about 刘婷婷 was passed to 张老师" in told
