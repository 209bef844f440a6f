"""A grandfather's reply to an alert over the talk in progress; skip, cancel and 好 send him nothing (fix6y, fix6at).

Wednesday 10:00: 王老师 is talking with 丁倩 and reports that 杨秀云 fell in the playground; her talk comes back.
张强 (``#43``), 杨秀云's grandfather, answers the alert ``知道了 孩子严重不``. Before, his words came numbered
``1. 回复``: her ``1`` for 丁倩's study opened the Reply and her ``好`` went to him. fix6y made them wait behind the
talk; fix6at (issue 6 item 1: an open emergency comes first) shows them at once, numbered, over the talk, and a
choice of the talk's question set aside (``好``) typed at the answer is kept from him. At "Write your answer to
张强" her ``跳过`` (``skip``) sends him nothing, and after a cancelled answer over a talk (a 【紧急】 message's
Reply) the talk comes back at once, numbered: her next sentence is the talk's, never "没看懂" under his message
again.
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo, told_to

WEDNESDAY = "2026-12-02 10:00"
TALK_AND_REPORT = "/talk 丁倩\n2\n报告 杨秀云\n1\n1\n{what}\n1\n:as #43\n{words}\n:as 王老师\n"
REPLIED = "王老师（杨秀云的班主任）回复了您的留言"


def test_his_words_come_over_the_talk_and_her_good_is_not_sent_to_him(monkeypatch, tmp_path, sample_roster):
    # fix6at (issue 6 item 1): a reply to an open emergency comes first, over the talk, as an alert does; her 1
    # opens its Reply, and her 好 (a choice of the talk's question set aside) is kept from him.
    script = (TALK_AND_REPORT.format(what="操场摔倒 膝盖流血", words="知道了 孩子严重不")
              + "1\n好\n取消\n1\n好\n/quit\n")
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, WEDNESDAY, "--all")
    [passed] = [m for m in told_to(after(out, "知道了 孩子严重不"), "王老师（班主任）") if "“知道了 孩子严重不”" in m]
    assert passed.rstrip().endswith("电话：138 0013 6956\n1. 回复")  # his words at once, with their Reply
    assert after(out, "1", ":as 王老师").startswith("请写下给张强的回复（关于杨秀云）：\n1. 取消")
    assert after(out, "好", ":as 王老师").startswith("“好”是您在张强的留言到达之前正在回答的那个问题的选项，"
                                                   "所以没有发给张强。")
    assert after(out, "取消").startswith("已取消，没有发送任何内容给张强。\n\n继续记录与丁倩的谈心：\n\n"
                                       "丁倩的学习情况怎么样？")
    assert after(out, "1", "取消").startswith("丁倩的生活情况（饮食、睡眠、卫生）怎么样？")  # the talk's answers
    assert after(out, "好", "取消").startswith("丁倩有安全隐患吗？")
    assert REPLIED not in out  # 好 never reached the grandfather


def test_in_english_too(monkeypatch, tmp_path, sample_roster):
    script = (TALK_AND_REPORT.format(what="fell in the playground", words="ok is it serious")
              + "1\ngood\n/quit\n")
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, WEDNESDAY, "--all", "--lang", "en")
    told = told_to(after(out, "ok is it serious"), "王老师 (class teacher)")
    [passed] = [m for m in told if "“ok is it serious”" in m]
    assert passed.rstrip().endswith("Phone: 138 0013 6956\n1. Reply")
    assert after(out, "good").startswith("“good” answers the question you were answering before 张强's message, "
                                         "so it was not sent to 张强.")
    assert "replied to your message" not in out  # good never reached the grandfather


URGENT_OVER_TALK = "/talk 丁倩\n2\n:as #43\n救命 孩子从楼梯摔下来了\n:as 王老师\n1\n{cancel}\n{sentence}\n/quit\n"


@pytest.mark.parametrize("cancel", ["跳过", "算了", "取消", "1"])
def test_a_cancelled_answer_brings_the_talk_back_at_once(monkeypatch, tmp_path, sample_roster, cancel):
    script = URGENT_OVER_TALK.format(cancel=cancel, sentence="学习进步了")
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, WEDNESDAY, "--all")
    assert after(out, "1", ":as 王老师").startswith("请写下给张强的回复（关于杨秀云）：")
    cancelled = after(out, cancel, ":as 王老师", nth=2 if cancel == "1" else 1)  # (1: the Reply, then its Cancel)
    assert cancelled == ("已取消，没有发送任何内容给张强。\n\n继续记录与丁倩的谈心：\n\n"
                         "丁倩的学习情况怎么样？\n1. 好 2. 一般 3. 较差\n")
    sentence = after(out, "学习进步了")
    assert sentence.startswith("已记入这次谈心的备注：“学习进步了”")
    assert "没有看懂" not in sentence and "“救命 孩子从楼梯摔下来了”" not in sentence  # his message not again
    assert REPLIED not in out


@pytest.mark.parametrize("cancel", ["skip", "cancel"])
def test_in_english_a_cancelled_answer_brings_the_talk_back(monkeypatch, tmp_path, sample_roster, cancel):
    script = URGENT_OVER_TALK.format(cancel=cancel, sentence="better at maths lately")
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, WEDNESDAY, "--all", "--lang", "en")
    cancelled = after(out, cancel, ":as 王老师")
    assert cancelled.startswith("Cancelled: nothing was sent to 张强.\n\nBack to your talk with 丁倩:\n\n"
                                "How is 丁倩 doing with study?\n1. Good")
    sentence = after(out, "better at maths lately")
    assert "understand" not in sentence and "救命" not in sentence
    assert "replied to your message" not in out and f"“{cancel}”" not in out
