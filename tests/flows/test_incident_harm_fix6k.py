"""Common abuse wording asks the harm question before the accused guardian is told (breaker D4, D5, L1; fix6k).

王老师 reports about 杨秀云 on a Wednesday morning; her entrusted guardian is her grandfather 张强. Each wording a
breaker found went to him as step 1: his own name (``被张强打的``), a kick (踹), hair pulled (揪头发), a knife, a
rope, a bite, a needle, ``她爷``, ``爹干的``, sexual wording, fear of going home or of him, bruises "from home",
and the English ``gramps``, ``whacked``, ``afraid of her grandpa``. A talk saved with a safety concern whose note
says what happened (``她说爷爷经常用皮带抽她``) offers a report: its note counts with the report's own words.
"""

from __future__ import annotations

import pytest

from bot.flows.harm_words import suggests_harm
from tests.support.demo import after, run_demo, told_to

WEDNESDAY = "2026-12-02 10:00"
GRANDFATHER = "张强（委托监护人）"
QUESTION = "您写的关于杨秀云的内容可能涉及家人或看护人的伤害。这是疑似虐待或忽视的报告吗？"
CONFIRM = "确认报告关于杨秀云的突发事件吗？"

ZH = ["被张强打的，脸上有伤", "爷爷用脚踹她，肚子疼", "被她爷打的", "她说是爹干的", "被爷爷揪头发", "爷爷拿刀砍她",
      "爷爷用绳子勒她", "被爷爷咬的", "奶奶用针扎她手", "她说爷爷亲她下面", "她说爷爷晚上会进她房间", "回家要挨打",
      "怕爷爷", "身上青一块紫一块，问她说是家里人"]
EN = ["gramps hit her", "her grandpa whacked her", "she is afraid of her grandpa"]


@pytest.mark.parametrize("words", ZH)
def test_common_abuse_wording_asks_before_the_grandfather_is_told(monkeypatch, tmp_path, sample_roster, words):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"报告 杨秀云\n1\n1\n{words}\n", WEDNESDAY, "--all")
    asked = after(out, words)
    assert asked.startswith(QUESTION) and "[→" not in asked
    assert told_to(out, GRANDFATHER) == []


@pytest.mark.parametrize("words", EN)
def test_english_abuse_wording_asks_before_the_grandfather_is_told(monkeypatch, tmp_path, sample_roster, words):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"report 杨秀云\n1\n1\n{words}\n", WEDNESDAY, "--all",
                   "--lang", "en")
    asked = after(out, words)
    assert asked.startswith("What you wrote about 杨秀云 may describe harm by a family member or carer.")
    assert told_to(out, "张强 (entrusted guardian)") == []


@pytest.mark.parametrize("words", ["爷爷打的120，孩子在学校摔伤了", "在家里烫伤了手"])
def test_a_call_to_120_or_a_scald_at_home_asks_nothing(monkeypatch, tmp_path, sample_roster, words):
    """L1: 打的120 is a phone call, 在家里烫伤 an accident at home: the family is told as usual."""
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"报告 杨秀云\n1\n1\n{words}\n", WEDNESDAY, "--all")
    asked = after(out, words)
    assert asked.startswith(CONFIRM) and "第1步通知：张强（委托监护人）" in asked


@pytest.mark.parametrize("words", ["奶奶带她去打针了", "爸爸打电话说孩子咳嗽", "手夹在抽屉里", "爷爷抽烟，孩子咳嗽",
                                   "爸爸关灯后她摔倒", "奶奶说孩子被同学打了", "奶奶弄的饭", "奶奶给她扎辫子",
                                   "爷爷砍柴时她摔倒了", "奶奶说她被狗咬了", "孩子不让告诉妈妈，怕妈妈担心",
                                   "奶奶怕她冷", "爷爷带她去医院打针", "grandma says she is a bit sick"])
def test_everyday_words_beside_a_family_word_stay_no_harm(words):
    assert not suggests_harm(words, ["张强", "杨杨", "谢冬梅"])


def test_a_family_member_s_name_counts_only_for_that_child():
    assert suggests_harm("被张强打的", ["张强"]) and suggests_harm("冬梅打她", ["谢冬梅"])
    assert not suggests_harm("被张强打的", ["李雪"])  # another child's guardian: no family word here


# The concern picked by its word (有), not its number: the question's numbering may change (fix6i).
TALK = "谈心 杨秀云\n1\n1\n1\n有\n她说爷爷经常用皮带抽她\n2\n1\n1\n1\n1\n背上有很多伤痕\n"


def test_a_talk_s_note_counts_toward_the_report_it_offers(monkeypatch, tmp_path, sample_roster):
    """D5: the note named the grandfather; the report's own words (背上有很多伤痕) do not, yet he is accused."""
    out = run_demo(monkeypatch, tmp_path, sample_roster, TALK + "1\n1\n", WEDNESDAY, "--all")
    assert "现在报告突发事件吗？" in out
    asked = after(out, "背上有很多伤痕")
    assert asked.startswith(QUESTION) and "[→" not in asked
    assert "谈心记录：她说爷爷经常用皮带抽她" in asked
    assert "类型：疑似虐待或忽视（成人所为）" in after(out, "1", "背上有很多伤痕")
    assert after(out, "1", "背上有很多伤痕", nth=2).startswith("已报告给学校领导和儿童保护联系人。")
    assert told_to(out, GRANDFATHER) == []
