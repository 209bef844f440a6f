"""A check-in clause about someone named is never recorded for her child, whatever the name (fix6ag, issue 6).

李雪 (grandmother of 刘婷婷 and 刘帅, class teacher 张老师) answers Friday's check-in ``婷婷很好，杨秀云发烧了``.
fix6ad recorded 刘婷婷 "needs help" (the fever taken for 婷婷's) so as not to treat 杨秀云, a child of the school,
differently from a made-up name. Now a clause whose subject is a name-like word that is none of her children's is
about someone else, decided by the words' shape only (bot/domain/name_like.py): her child's clause records as
before, she reads one reply, word for word the same for 杨秀云 and for 王小军 (no child of the school).
"""

from __future__ import annotations

import pytest

from bot.domain.child_mentions import forms
from bot.domain.name_like import other_subject
from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"
ONLY_OWN = "我只能记录您自己孩子（刘婷婷、刘帅）的情况；关于别人的话没有记录，已转给老师。"


def _seen_by_her(out: str) -> str:
    """Everything 李雪 read in the demo chat (the copies sent to others left out)."""
    body = out.split("> :as 李雪\n", 1)[1]
    return "\n".join(part.split("\n[→ ", 1)[0] for part in body.split("\n> "))


@pytest.mark.parametrize(("before", "line"), [
    ("", "婷婷很好，{name}发烧了"),  # at the check-in question
    ("3\n", "{name}发烧了"),  # at "what kind of help?" after 婷婷 needs help
])
def test_a_real_and_a_made_up_name_read_the_same(monkeypatch, tmp_path, sample_roster, before, line):
    (tmp_path / "real").mkdir()
    (tmp_path / "nobody").mkdir()
    script = ":wait 2m\n:as 李雪\n" + before + line + "\n1\n"
    real = run_demo(monkeypatch, tmp_path / "real", sample_roster, script.format(name="杨秀云"), FRIDAY, "--all")
    nobody = run_demo(monkeypatch, tmp_path / "nobody", sample_roster, script.format(name="王小军"), FRIDAY, "--all")
    assert _seen_by_her(real).replace("杨秀云", "X") == _seen_by_her(nobody).replace("王小军", "X")
    assert ONLY_OWN in after(real, line.format(name="杨秀云"))
    # Only a real child's class teacher gets a copy (fix6ad), and she is never told of it.
    assert told_to(after(real, line.format(name="杨秀云")), "王老师（班主任）")
    assert not told_to(after(nobody, line.format(name="王小军")), "王老师（班主任）")


def test_her_own_childs_part_is_recorded_as_she_said(monkeypatch, tmp_path, sample_roster):
    script = ":wait 2m\n:as 李雪\n婷婷很好，王小军发烧了\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all")
    said = after(out, "婷婷很好，王小军发烧了")
    mine = said.split("\n[→ ", 1)[0]
    assert mine.startswith(ONLY_OWN) and "已记录：刘婷婷这周很好。" in mine and "需要帮助" not in mine
    assert not told_to(said, "袁辉老师（帮扶教师）")  # no helper teacher sent to call about 婷婷
    [zhang] = told_to(said, "张老师（班主任）")  # the words about someone else still reach her teacher
    assert "“王小军发烧了”" in zhang


def test_asking_about_another_child_gets_one_clear_reply(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":wait 2m\n:as 李雪\n杨秀云怎么样了\n", FRIDAY, "--all")
    mine = after(out, "杨秀云怎么样了").split("\n[→ ", 1)[0]
    assert mine.startswith(ONLY_OWN + "\n\n还在等您回答：")
    assert "留言已转给" not in mine and "没有记到任何孩子名下" not in mine


def test_her_own_words_for_her_child_still_record(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":wait 2m\n:as 李雪\n她发烧了\n", FRIDAY, "--all")
    mine = after(out, "她发烧了").split("\n[→ ", 1)[0]
    assert mine.startswith("“她发烧了”说的是哪个孩子？") and ONLY_OWN not in mine  # hers, as before


@pytest.mark.parametrize(("clause", "other"), [
    ("杨秀云发烧了", True), ("王小军发烧了", True), ("我听说欧阳娜娜哭了", True),
    ("婷婷很好", False), ("帅帅也发烧了", False), ("孩子发烧了", False), ("她很好", False), ("孙女挺好", False),
    ("我家俩都好", False), ("张老师说过了", False), ("周末去奶奶家", False), ("高兴", False), ("谢谢老师", False),
    ("王小军打了婷婷", False),  # about her child: hers
])
def test_what_is_a_name_of_someone_else(clause, other):
    own = forms("刘婷婷") | forms("刘帅")
    assert other_subject(clause, own) is other
