"""A grandmother's check-in line naming another family's child (fix6u, revised by fix6ad and fix6ag).

李雪, guardian of 刘婷婷 and 刘帅, answers Friday's check-in ``婷婷很好，杨秀云发烧了``: 杨秀云 is not hers. fix6u
answered "I can only record answers about your own children" only for a child of the school, which told her 杨秀云
goes there; fix6ad dropped the reply and recorded the fever as 婷婷's. Now any name-like subject that is not
her child's is someone else (tests/flows/test_checkin_someone_else_fix6ag.py): 婷婷 很好 is recorded, she reads
one reply whatever the name, and 杨秀云's class teacher 王老师 reads her words, labelled plainly.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"


def test_the_other_childs_fever_reaches_her_teacher_and_nothing_is_said_about_her(monkeypatch, tmp_path,
                                                                                 sample_roster):
    script = ":wait 2m\n:as 李雪\n婷婷很好，杨秀云发烧了\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all")
    said = after(out, "婷婷很好，杨秀云发烧了")
    mine = said.split("[→")[0]
    assert mine.startswith("我只能记录您自己孩子（刘婷婷、刘帅）的情况；关于别人的话没有记录，已转给老师。")
    assert "已记录：刘婷婷这周很好。" in mine and "需要帮助" not in mine
    assert "一年级（1）班" not in mine and "王老师" not in mine and "杨秀云" not in mine  # nothing about her
    [wang] = told_to(said, "王老师（班主任）")
    assert wang.startswith("李雪（刘婷婷、刘帅的家长，不是杨秀云的家人）留言：\n“婷婷很好，杨秀云发烧了”")
    [teacher] = told_to(said, "张老师（班主任）")
    assert "“杨秀云发烧了”" in teacher
    assert not told_to(said, "袁辉老师（帮扶教师）")  # nobody sent to call about 婷婷's "needs help"


def test_only_the_other_child_named_in_english(monkeypatch, tmp_path, sample_roster):
    script = ":wait 2m\n:as 李雪\n杨秀云发烧了\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all", "--lang", "en")
    said = after(out, "杨秀云发烧了")
    assert said.startswith("I can only record answers about your own children (刘婷婷, 刘帅); what you wrote about "
                           "someone else was not recorded and was passed to the teacher.")
    assert "Still waiting for your answer:" in said.split("[→")[0]
    [wang] = told_to(said, "王老师 (class teacher)")
    assert wang.startswith("李雪 (family of 刘婷婷, 刘帅, not of 杨秀云) writes:")
