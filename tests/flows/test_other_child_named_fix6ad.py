"""Words about another family's child: the same reply as for a name that is no child, and that child's
class teacher reads them (fix6ad, issue 6).

李雪 (grandmother of 刘婷婷 and 刘帅, class teacher 张老师) typing ``杨秀云生病了`` at the Friday check-in was told
"I can only record answers about your own children" while ``王小虎生病了`` (no child) asked "which child?":
the reply told her 杨秀云 is a child of the school. And ``杨秀云需要帮助`` reached only 张老师. Now what she
reads is the same word for word, buttons included, whatever the name; her children's class teacher reads her
words as she is told, and 杨秀云's class teacher 王老师 gets her words of concern, labelled as from 李雪, who is
not that child's guardian (docs/flows/relay.md).
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"
WEEKDAY = "2026-12-02 10:00"
WANG = "王老师（班主任）"
ZHANG = "张老师（班主任）"


def _seen_by_her(out: str) -> str:
    """Everything the person in the demo chat read (the copies sent to others left out)."""
    body = out.split("> :as 李雪\n", 1)[1]
    return "\n".join(part.split("\n[→ ", 1)[0] for part in body.split("\n> "))


@pytest.mark.parametrize(("at", "lines"), [
    (FRIDAY, ":wait 2m\n:as 李雪\n{name}生病了\n1\n{name}需要帮助\n2\n"),  # the check-in waits all along
    (WEEKDAY, ":as 李雪\n{name}需要帮助\n报告 {name}发烧了\n老师\n{name}不见了\n"),
])
def test_a_child_of_the_school_and_no_child_read_the_same(monkeypatch, tmp_path, sample_roster, at, lines):
    (tmp_path / "real").mkdir()
    (tmp_path / "nobody").mkdir()
    real = run_demo(monkeypatch, tmp_path / "real", sample_roster, lines.format(name="杨秀云"), at, "--all")
    nobody = run_demo(monkeypatch, tmp_path / "nobody", sample_roster, lines.format(name="王小虎"), at, "--all")
    assert _seen_by_her(real).replace("杨秀云", "X") == _seen_by_her(nobody).replace("王小虎", "X")


def test_her_concern_reaches_that_childs_class_teacher_labelled(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 李雪\n杨秀云需要帮助\n杨秀云和婷婷一起玩\n", WEEKDAY,
                   "--all")
    said = after(out, "杨秀云需要帮助")
    # as for any name, never "about 刘婷婷、刘帅" (fix6ai): the words are about someone else
    assert said.startswith("谢谢。您的留言已转给张老师（班主任）")
    [to_wang] = told_to(said, WANG)
    assert to_wang.startswith("李雪（刘婷婷、刘帅的家长，不是杨秀云的家人）留言：\n“杨秀云需要帮助”")  # fix6ag: plain
    assert "电话：150 0013 1019" in to_wang and "1. 回复" in to_wang
    [to_zhang] = told_to(said, ZHANG)  # her children's class teacher, as she was told
    assert "“杨秀云需要帮助”" in to_zhang
    assert not told_to(after(out, "杨秀云和婷婷一起玩"), WANG)  # no concern: nothing for 王老师 to act on


def test_the_teacher_answers_her_from_the_chat(monkeypatch, tmp_path, sample_roster):
    script = ":as 李雪\n杨秀云需要帮助\n:as 王老师\n1\n谢谢您告诉我，我会联系她家里\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, WEEKDAY, "--all")
    assert after(out, "谢谢您告诉我，我会联系她家里").startswith("已发送给李雪。")
