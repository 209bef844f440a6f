"""A family's reply to an open emergency is shown at once over an ordinary flow, which comes back after it, named.

Breaker finding 2 (fix6at, issue 6 item 1): 王老师 has reported 杨秀云's fall and opened 杨秀云's aid record
("1. 登记资助") when the grandfather 张强 (``#43``) answers the alert ``我马上到学校``. She was told 「请先回答我前面的
问题；之后我会再问您这一条」, and her ``1``, ``1``, ``1`` (meant for his message) recorded a ¥1 cash aid entry while his
words never came back. The same behind the plan's free-text goals. Now his words come at once with their Reply; her
numbers answer his message, and the aid record (or the plan) is asked again after it, named.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

AT = "2026-12-04 10:00"
REPORT = "报告 杨秀云\n1\n1\n在操场摔倒了头破了\n1\n"
HIS_REPLY = ":as #43\n我马上到学校\n:as 王老师\n"
SHOWN = "“我马上到学校”\n电话：138 0013 6956\n1. 回复"


def test_his_reply_comes_over_the_aid_record_and_her_numbers_answer_it(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, REPORT + "资助 杨秀云\n" + HIS_REPLY + "1\n1\n1\n", AT,
                   "--all")
    [passed] = [m for m in told_to(after(out, "我马上到学校"), "王老师（班主任）") if "“我马上到学校”" in m]
    assert passed.rstrip().endswith(SHOWN) and "请先回答" not in passed
    assert after(out, "1", ":as 王老师").startswith("请写下给张强的回复（关于杨秀云）：\n1. 取消")
    assert after(out, "1", ":as 王老师", nth=2) == ("已取消，没有发送任何内容给张强。\n\n回到给杨秀云登记的资助：\n\n"
                                                   "杨秀云的资助记录：\n还没有资助记录。\n1. 登记资助\n\n")
    assert after(out, "1", ":as 王老师", nth=3).startswith("杨秀云得到的是哪类资助？")  # only now the aid entry


def test_his_reply_comes_over_the_plan_goals_and_the_goals_come_back_named(monkeypatch, tmp_path, sample_roster):
    script = REPORT + "方案 杨秀云\n1\n" + HIS_REPLY + "1\n我已经给您打电话了\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all")
    [passed] = [m for m in told_to(after(out, "我马上到学校"), "王老师（班主任）") if "“我马上到学校”" in m]
    assert passed.rstrip().endswith(SHOWN)
    sent = after(out, "我已经给您打电话了")
    assert sent.startswith("已发送给张强。\n\n回到杨秀云的个别教育管理方案：\n\n杨秀云的目标，每行一条")
    assert "“我已经给您打电话了”" in told_to(sent, "张强（委托监护人）")[0]


def test_words_typed_as_his_reply_arrives_over_the_goals_are_asked_about(monkeypatch, tmp_path, sample_roster):
    # her sentence may have been typed for the goals before his words arrived: asked, never taken as either
    script = REPORT + "方案 杨秀云\n1\n" + HIS_REPLY + "好的我打给他\n2\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all")
    assert after(out, "好的我打给他").startswith("您写的是：“好的我打给他”。就在这时张强的紧急留言到了。这句话是：\n"
                                              "1. 您正在回答的问题的答案 2. 给张强的回复")
    sent = after(out, "2", "好的我打给他")
    assert sent.startswith("已发送给张强。\n\n回到杨秀云的个别教育管理方案：\n\n杨秀云的目标，每行一条")
