"""A grandmother's check-in line naming another family's child records nothing for that part (fix6u, a breaker).

李雪, guardian of 刘婷婷 and 刘帅, answers Friday's check-in ``婷婷很好，杨秀云发烧了``: 杨秀云 is not hers. The fever
was recorded as 刘婷婷 "needs help" and her helper teacher sent to call. Now 婷婷's part is her answer, the part about
the other child answers nothing and goes to 张老师 as her message, and she is told she can only answer for her own
children — never anything about 杨秀云.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"


def test_the_other_childs_fever_is_not_her_grandchilds(monkeypatch, tmp_path, sample_roster):
    script = ":wait 2m\n:as 李雪\n婷婷很好，杨秀云发烧了\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all")
    said = after(out, "婷婷很好，杨秀云发烧了")
    assert "需要帮助" not in said.split("[→")[0] and "已记录：刘婷婷这周很好。" in said
    assert "我只能记录您自己孩子（刘婷婷、刘帅）的情况" in said
    assert "老师看到后会在这里回复您" in said
    assert not told_to(said, "袁辉老师（帮扶教师）")  # no helper teacher sent to call about a fever not hers
    [teacher] = told_to(said, "张老师（班主任）")
    assert "“杨秀云发烧了”" in teacher
    assert "一年级（1）班" not in said and "王老师" not in said  # nothing about the other child


def test_only_the_other_child_named_records_nothing(monkeypatch, tmp_path, sample_roster):
    script = ":wait 2m\n:as 李雪\n杨秀云发烧了\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all", "--lang", "en")
    said = after(out, "杨秀云发烧了")
    assert "Recorded" not in said and "I can only record answers about your own children (刘婷婷, 刘帅)" in said
    assert "Still waiting for your answer:\n\nHow is 刘婷婷 this week?\n1." in said
    assert told_to(said, "张老师 (class teacher)")


def test_at_the_note_question_it_is_no_note(monkeypatch, tmp_path, sample_roster):
    script = ":wait 2m\n:as 李雪\n1\n杨秀云发烧了\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all")
    said = after(out, "杨秀云发烧了")
    assert "我只能记录您自己孩子" in said
    assert "关于刘婷婷，还有什么想告诉老师的吗？" in said
    assert not told_to(said, "袁辉老师（帮扶教师）")
