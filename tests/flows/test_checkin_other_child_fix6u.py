"""A grandmother's check-in line naming another family's child (fix6u, revised by fix6ad).

李雪, guardian of 刘婷婷 and 刘帅, answers Friday's check-in ``婷婷很好，杨秀云发烧了``: 杨秀云 is not hers. fix6u
answered her "I can only record answers about your own children" — a reply a name that is no child never got,
so it told her 杨秀云 goes to the school (fix6ad). Now she reads what any name would bring, nothing about 杨秀云
is said to her, and 杨秀云's class teacher 王老师 reads her words, labelled as from someone not of that family.
Known limit (docs/flows/relay.md): her worry words are read as for any name that is not her child's.
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
    assert "我只能记录您自己孩子" not in mine
    assert "一年级（1）班" not in mine and "王老师" not in mine and "杨秀云" not in mine  # nothing about her
    [wang] = told_to(said, "王老师（班主任）")
    assert "“婷婷很好，杨秀云发烧了”" in wang and "李雪不是杨秀云的监护人或家长" in wang
    [teacher] = told_to(said, "张老师（班主任）")
    assert "“婷婷很好，杨秀云发烧了”" in teacher


def test_only_the_other_child_named_in_english(monkeypatch, tmp_path, sample_roster):
    script = ":wait 2m\n:as 李雪\n杨秀云发烧了\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all", "--lang", "en")
    said = after(out, "杨秀云发烧了")
    assert "I can only record answers about your own children" not in said
    [wang] = told_to(said, "王老师 (class teacher)")
    assert "李雪 is not 杨秀云's guardian or parent: she writes as the family of 刘婷婷, 刘帅." in wang
