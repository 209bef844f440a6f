"""Rape, sexual words and every kinship word ask the harm question before the accused grandfather is told (fix6o).

王老师 reports about 杨秀云 on Friday evening; her entrusted guardian is her grandfather 张强, step 1 of the chain.
A breaker found each wording below sent to him first: rape and sexual words (which ask with no family word at all),
burns, boiling water, being hung up, forced labour, the kinship words of a village (她哥, 她舅, 姑父, 祖父, 养父,
老头子), his nicknames (``老张``, ``强子``), spaces inside a word (``监 护人``) and the English a teacher writes.
"""

from __future__ import annotations

import pytest

from bot.flows.harm_words import suggests_harm
from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"
GRANDFATHER = "张强（委托监护人）"
QUESTION = "您写的关于杨秀云的内容可能涉及家人或看护人的伤害。这是疑似虐待或忽视的报告吗？"
FAMILY = ["张强", "杨杨", "谢冬梅"]

ZH = ["孩子被她爷强奸了", "爷爷强暴她", "孩子说被强奸了", "爷爷让她脱衣服", "孩子说晚上爷爷睡她床上",
      "爷爷对她动手动脚",
      "爷爷喝醉了动手", "爷爷把她吊起来", "奶奶拿开水泼她", "爷爷用烟烧她", "爷爷逼她干重活", "被她哥打的", "她舅打她",
      "她姑父打她", "嫂子打她", "祖父打她", "外祖母打她", "养父打她", "老头子打她", "被老张打了", "强子打的",
      "监 护人打的"]
EN = ["her gran hits her", "grandpa struck her", "grandpa burns her with cigarettes", "the old man beats her",
      "grandpa made her kneel all night", "she is scared of going home", "she doesn't want to go home",
      "her grandfather raped her"]


@pytest.mark.parametrize("words", ZH + EN)
def test_each_wording_suggests_harm(words):
    assert suggests_harm(words, FAMILY)


@pytest.mark.parametrize("words", ["被张老师批评了", "张老师说她在操场摔倒了", "奶奶倒开水给她喝", "放学后没回家"])
def test_the_teacher_and_everyday_words_stay_no_harm(words):
    """张老师 is no 张老 (the grandfather's nickname); a glass of boiled water is no scald."""
    assert not suggests_harm(words, FAMILY)


@pytest.mark.parametrize("words", ["孩子被她爷强奸了", "孩子说被强奸了", "被老张打了", "监 护人打的"])
def test_the_report_asks_before_the_grandfather_is_told(monkeypatch, tmp_path, sample_roster, words):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"报告 杨秀云\n1\n1\n{words}\n1\n", FRIDAY, "--all")
    asked = after(out, words)
    assert asked.startswith(QUESTION) and "[→" not in asked
    assert "第1步通知：张强" not in out
    assert told_to(out, GRANDFATHER) == []


def test_english_rape_report_asks_first(monkeypatch, tmp_path, sample_roster):
    words = "her grandfather raped her"
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"report 杨秀云\n1\n1\n{words}\n1\n", FRIDAY, "--all",
                   "--lang", "en")
    assert after(out, words).startswith("What you wrote about 杨秀云 may describe harm by a family member or carer.")
    assert told_to(out, "张强 (entrusted guardian)") == []
