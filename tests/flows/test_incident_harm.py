"""A report whose words suggest harm at home is asked about before anyone is told (issue 6, safeguarding rule).

王老师 reports about 杨秀云, whose entrusted guardian is her grandfather 张强: a disclosure about him must never
reach him first, whatever kind she picked.
"""

from __future__ import annotations

import pytest

from bot.flows.harm_words import suggests_harm
from tests.support.demo import after, run_demo, told_to

AT = "2026-12-04 17:58"
GRANDFATHER = "张强（委托监护人）"
QUESTION = ("您写的关于杨秀云的内容可能涉及家人或看护人的伤害。这是疑似虐待或忽视的报告吗？如果是，将通知学校领导和"
            "儿童保护联系人，不通知孩子的家人。")


def _told(out: str, reader: str) -> list[str]:
    """What ``reader`` was sent, each message up to the next thing typed."""
    return [message.split("\n> ", 1)[0] for message in told_to(out, reader)]


def _demo(monkeypatch, tmp_path, sample_roster, script: str, *extra: str) -> str:
    return run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all", *extra)


@pytest.mark.parametrize(("kind", "words"), [
    ("6\n2", "孩子说爷爷经常打她，不给饭吃"),
    ("1\n1", "爷爷用棍子打的，孩子说怕回家"),
    ("4\n1", "被继父打了，身上有淤青"),
])
def test_harm_at_home_is_asked_about_and_the_grandfather_is_never_told(monkeypatch, tmp_path, sample_roster,
                                                                          kind, words):
    out = _demo(monkeypatch, tmp_path, sample_roster, f"报告 杨秀云\n{kind}\n{words}\n1\n1\n")
    asked = after(out, words)
    assert asked.startswith(QUESTION)
    assert "1. 是，报告疑似虐待或忽视（不通知家人） 2. 不是，按原样继续 3. 继续，但排除某人" in asked
    assert "[→" not in asked  # nothing is sent before the answer
    confirm = after(out, "1", words)
    assert "类型：疑似虐待或忽视（成人所为）" in confirm and "不会通知孩子的家人。" in confirm
    assert GRANDFATHER not in confirm
    reported = after(out, "1", words, nth=2)
    assert reported.startswith("已报告给学校领导和儿童保护联系人。")
    assert told_to(out, GRANDFATHER) == []


def test_continuing_as_it_is_shows_the_family_chain_and_leaving_out_is_offered(monkeypatch, tmp_path,
                                                                               sample_roster):
    words = "孩子说爷爷经常打她，不给饭吃"
    out = _demo(monkeypatch, tmp_path, sample_roster, f"报告 杨秀云\n6\n2\n{words}\n3\n返回\n/quit\n")
    assert after(out, "3", words).startswith("杨秀云的这起突发事件不通知谁？\n1. 张强（委托监护人）")
    assert "第1步通知：张强（委托监护人）" in after(out, "返回", words)
    (tmp_path / "again").mkdir()
    out = _demo(monkeypatch, tmp_path / "again", sample_roster, f"报告 杨秀云\n6\n2\n{words}\n2\n/quit\n")
    assert "第1步通知：张强（委托监护人）" in after(out, "2", words)
    assert told_to(out, GRANDFATHER) == []


def test_in_english_the_question_names_the_child(monkeypatch, tmp_path, sample_roster):
    words = "She says grandpa beats her with a belt"
    out = _demo(monkeypatch, tmp_path, sample_roster, f"report 杨秀云\n6\n2\n{words}\n1\n1\n", "--lang", "en")
    asked = after(out, words)
    assert asked.startswith("What you wrote about 杨秀云 may describe harm by a family member or carer. Is this a "
                            "report of suspected abuse or neglect?")
    assert "1. Yes, report suspected abuse or neglect (the family is not told)" in asked
    assert told_to(out, "张强 (entrusted guardian)") == []
    assert told_to(out, GRANDFATHER) == []


@pytest.mark.parametrize("words", ["奶奶带她去打针了，有点发烧", "爷爷打电话说孩子咳嗽", "和哥哥打球时摔倒",
                                   "打扫卫生时被桌子碰到", "在操场摔倒膝盖流血", "Fell in the yard, grandma says "
                                   "she hit her head"])
def test_everyday_words_are_no_harm(words):
    assert not suggests_harm(words)


def test_a_shot_at_the_clinic_goes_straight_to_the_confirm(monkeypatch, tmp_path, sample_roster):
    words = "奶奶带她去打针了，有点发烧"
    out = _demo(monkeypatch, tmp_path, sample_roster, f"报告 杨秀云\n2\n2\n{words}\n3\n")
    assert after(out, words).startswith("确认报告关于杨秀云的突发事件吗？")


@pytest.mark.parametrize("words", ["爷爷掐她的胳膊", "妈妈用烟头烫她", "孩子说晚上被关起来", "叔叔摸她",
                                   "Her stepfather hits her", "She is scared to go home", "grandma starves him"])
def test_words_of_harm_at_home(words):
    assert suggests_harm(words)


FIRST = "报告 杨秀云\n1\n1\n在操场摔倒膝盖流血\n1\n"
LATER = "后来孩子说其实是爷爷推的，怕回家"


def test_the_add_to_confirm_names_who_will_read_it(monkeypatch, tmp_path, sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, FIRST + "报告 杨秀云\n1\n1\n又说头晕\n2\n")
    confirm = after(out, "又说头晕")
    assert confirm.startswith("把这段内容补充到关于杨秀云（2026年12月4日 17:58）的报告里吗？")
    assert "会看到这段内容的人：张强（委托监护人）" in confirm


def test_harm_added_to_an_open_report_becomes_a_safeguarding_report(monkeypatch, tmp_path, sample_roster):
    script = FIRST + f"报告 杨秀云\n6\n1\n{LATER}\n1\n1\n:wait 40m\n"
    out = _demo(monkeypatch, tmp_path, sample_roster, script)
    asked = after(out, LATER)
    assert asked.startswith(QUESTION) and "[→" not in asked
    assert ("1. 是，另作疑似虐待或忽视的新报告（此事不再向家人发送任何消息） 2. 不是，按原样补充 3. 补充，但排除某人 "
            "4. 取消") in asked
    assert "不会通知孩子的家人。" in after(out, "1", LATER)
    told = _told(out, GRANDFATHER)
    assert "在操场摔倒膝盖流血" in told[0]  # the injury's alert, sent before
    assert not any("提醒" in message or "爷爷推" in message for message in told)  # left out: no reminder either


def test_harm_added_as_it_is_is_the_reporter_s_choice(monkeypatch, tmp_path, sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, FIRST + f"报告 杨秀云\n6\n1\n{LATER}\n2\n")
    confirm = after(out, "2", LATER)
    assert confirm.startswith("把这段内容补充到关于杨秀云") and "会看到这段内容的人：张强（委托监护人）" in confirm
    assert not any(LATER in message for message in _told(out, GRANDFATHER))  # not sent before "Add"


def test_harm_added_leaving_the_grandfather_out(monkeypatch, tmp_path, sample_roster):
    script = FIRST + f"报告 杨秀云\n6\n1\n{LATER}\n3\n1\n他可能是打孩子的人\n1\n:wait 40m\n"
    out = _demo(monkeypatch, tmp_path, sample_roster, script)
    assert "3. 补充，但排除某人 4. 取消" in after(out, LATER)
    assert after(out, "3", LATER).startswith("杨秀云的这起突发事件不通知谁？\n1. 张强（委托监护人）")
    confirm = after(out, "他可能是打孩子的人")
    assert "不通知：张强——他可能是打孩子的人" in confirm and "会看到这段内容的人：张强" not in confirm
    told = _told(out, GRANDFATHER)
    assert not any("提醒" in message or "爷爷推" in message for message in told)


def test_in_english_the_add_to_confirm_names_its_readers(monkeypatch, tmp_path, sample_roster):
    script = "report 杨秀云\n1\n1\nfell in the yard\n1\nreport 杨秀云\n1\n1\nnow dizzy\n2\n"
    out = _demo(monkeypatch, tmp_path, sample_roster, script, "--lang", "en")
    assert "Who will read it: 张强 (entrusted guardian)" in after(out, "now dizzy")


BREAKER = ["背上有伤，孩子说姥爷用衣架抽的", "爹打的", "阿公打她", "家长体罚", "奶奶不让她吃饭",
           "爷爷喝醉了把她锁在屋里", "身上有淤青，说是家里人弄的"]
"""Common wording a breaker found missed: the grandfather would have read each one with the reporter's phone."""


@pytest.mark.parametrize("words", BREAKER)
def test_common_wording_of_harm_at_home_is_asked_about_before_anyone_is_told(monkeypatch, tmp_path, sample_roster,
                                                                              words):
    out = _demo(monkeypatch, tmp_path, sample_roster, f"报告 杨秀云\n1\n2\n{words}\n")
    asked = after(out, words)
    assert asked.startswith(QUESTION) and "[→" not in asked
    assert told_to(out, GRANDFATHER) == []  # nothing reaches him while the question waits


def test_grandfather_whipping_her_with_a_hanger_never_reaches_him(monkeypatch, tmp_path, sample_roster):
    words = "背上有伤，孩子说姥爷用衣架抽的"
    out = _demo(monkeypatch, tmp_path, sample_roster, f"报告 杨秀云\n1\n2\n{words}\n1\n1\n:wait 40m\n")
    assert after(out, words).startswith(QUESTION)
    confirm = after(out, "1", words)
    assert "类型：疑似虐待或忽视（成人所为）" in confirm and GRANDFATHER not in confirm
    assert after(out, "1", words, nth=2).startswith("已报告给学校领导和儿童保护联系人。")
    # 40 minutes on he has had only Friday's check-in: no alert, no reminder, no words, no phone
    assert [message.split("\n", 1)[0] for message in _told(out, GRANDFATHER)] == ["杨秀云这周过得怎么样？"]


@pytest.mark.parametrize("words", ["Grandpa whips her", "dad locks her in the shed at night",
                                   "grandma won't let her eat", "奶奶不让她上学", "外公把她关在柴房",
                                   "妈妈让她罚跪一晚上"])
def test_more_wording_of_harm_at_home(words):
    assert suggests_harm(words)


@pytest.mark.parametrize("words", ["手夹在抽屉里", "爷爷抽奖中了一袋米", "爷爷抽烟，孩子咳嗽", "奶奶锁门时夹到手",
                                   "妈妈关门夹到手指", "爸爸关灯后她摔倒", "爷爷很关心她", "grandpa locks the door",
                                   "家长说老师体罚了孩子", "孩子在家抽筋昏迷，已打120送医院",
                                   "奶奶说孩子被同学打了", "奶奶弄的饭", "奶奶说孩子被同学们给打了",
                                   "grandma says she was hit by a classmate"])
def test_drawers_raffles_doors_and_a_teacher_s_punishment_are_no_harm_at_home(words):
    """A teacher's 体罚 is told to the family as usual: the family is not the accused."""
    assert not suggests_harm(words)


@pytest.mark.parametrize("words", ["奶奶说孩子被同学打了", "孩子没吃早饭，奶奶弄的饭她不吃"])
def test_a_classmate_s_blow_or_grandma_s_cooking_is_reported_without_the_harm_question(monkeypatch, tmp_path,
                                                                                       sample_roster, words):
    """fix6g: a classmate hit her (bullying, the family is told) and 奶奶弄的饭 (grandma cooked) ask nothing."""
    out = _demo(monkeypatch, tmp_path, sample_roster, f"报告 杨秀云\n1\n2\n{words}\n")
    asked = after(out, words)
    assert not asked.startswith(QUESTION)
    assert asked.startswith("确认报告关于杨秀云的突发事件吗？") and "第1步通知：张强（委托监护人）" in asked
