"""``摸`` / ``touched`` ask the harm question with a person or a telling body part, not on their own (fix6p).

王老师 reports that 杨秀云 feels unwell: ``摸了摸头说不疼`` (felt her head, she says it does not hurt) or ``touched his
head, no fever`` asked "is this a report of suspected abuse?" as if the words were a disclosure, and a teacher
learns to tap past the question. Now everyday touching (a head, a forehead, a pocket, a tummy that aches) does not
ask, while ``有人摸她``, ``被邻居摸了``, ``叔叔摸她胸``, ``someone touched her`` still ask before her grandfather
is told.
"""

from __future__ import annotations

import pytest

from bot.flows.harm_words import suggests_harm
from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"
FAMILY = ["张强", "杨杨", "谢冬梅"]
QUESTION = "您写的关于杨秀云的内容可能涉及家人或看护人的伤害。这是疑似虐待或忽视的报告吗？"

EVERYDAY = ["摸了摸头说不疼", "摸了摸额头，不烫", "老师摸了她的额头有点烫", "摸着肚子说疼",
            "孩子说肚子疼，我摸了摸肚子", "摸了一下手，很凉", "摸口袋找钥匙", "他摸到插座被电了一下",
            "爷爷摸了摸她的头说没事", "摸他额头很烫", "touched his head, no fever", "touched her forehead, a bit warm",
            "she touched the stove and cried", "grandma touched her head, no fever", "摸", "touched"]
REAL = ["摸她下面", "有人摸她", "被人摸了", "邻居老头摸她", "叔叔摸她胸", "爷爷摸她", "他总是摸她屁股",
        "晚上有人摸她身体", "被邻居摸了", "老是乱摸她", "someone touched her", "he touched her private parts",
        "grandpa touched her", "she was touched by a neighbour", "a man touched her", "uncle touches her"]


@pytest.mark.parametrize("words", EVERYDAY)
def test_everyday_touching_is_no_harm(words):
    assert not suggests_harm(words, FAMILY)


@pytest.mark.parametrize("words", REAL)
def test_touching_a_child_still_suggests_harm(words):
    assert suggests_harm(words, FAMILY)


def test_a_report_of_a_head_felt_goes_to_the_family_without_the_harm_question(monkeypatch, tmp_path, sample_roster):
    words = "下午说头晕，摸了摸头说不疼"
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":wait 2m\n报告 杨秀云\n2\n2\n{words}\n1\n", FRIDAY, "--all")
    described = after(out, words)
    assert not described.startswith(QUESTION)
    assert "第1步通知：张强" in described


def test_someone_touched_her_still_asks_first(monkeypatch, tmp_path, sample_roster):
    words = "有人摸她"
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":wait 2m\n报告 杨秀云\n1\n1\n{words}\n1\n", FRIDAY, "--all")
    assert after(out, words).startswith(QUESTION)
    assert not any("有人摸她" in m for m in told_to(out, "张强（委托监护人）"))  # (his Friday check-in came)


def test_touched_his_head_in_english_asks_nothing(monkeypatch, tmp_path, sample_roster):
    words = "dizzy after lunch, touched her head, no fever"
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":wait 2m\nreport 杨秀云\n2\n2\n{words}\n1\n", FRIDAY,
                   "--all", "--lang", "en")
    described = after(out, words)
    assert "may describe harm by a family member" not in described
    assert "Step 1: 张强" in described or "张强" in described
