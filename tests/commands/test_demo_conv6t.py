"""Leftovers of issue 6 (conv6t): the report command's words from a family, glued names, urgent follow-ups.

Written as the person types them in the console demo: 张强 (``:as #43``) is the grandfather of 杨秀云
(一年级（1）班, class teacher 王老师); 李雪 the grandmother of 刘婷婷 and 刘帅.
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo, told_to

AT = "2026-12-04 17:58"
NIGHT = "2026-12-04 23:30"  # inside the quiet hours (21:00–07:00)
NUMBERS = "突发事件由学校教职工报告。紧急情况请先拨打110（报警）或120（急救），再联系学校。"
PASSED = "谢谢。您关于杨秀云的留言已转给王老师（班主任），老师看到后会在这里回复您。"
FROM_GRANDPA = "张强（杨秀云的外祖父，一年级（1）班）留言：\n“{words}”\n电话：138 0013 6956"


@pytest.mark.parametrize(("typed", "words"), [("/report 孩子发烧两天了", "孩子发烧两天了"),
                                              ("／report 孩子发烧两天了", "孩子发烧两天了"),
                                              ("/report 杨秀云发烧两天了", "杨秀云发烧两天了")])
def test_a_guardian_s_slash_report_words_reach_the_class_teacher(monkeypatch, tmp_path, sample_roster, typed,
                                                                 words):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as #43\n{typed}\n/quit\n", AT)
    reply = after(out, typed)
    assert reply.startswith(PASSED) and NUMBERS in reply  # who reads it, and the numbers as for 报告
    assert "统计数据" not in reply
    assert told_to(reply, "王老师（班主任）")[0].startswith(FROM_GRANDPA.format(words=words))


def test_a_guardian_s_bare_slash_report_gives_the_emergency_numbers(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as #43\n/report\n/quit\n", AT)
    assert after(out, "/report").startswith(NUMBERS)


def test_the_principal_keeps_the_figures_and_hears_of_words_it_cannot_read(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 王校长\n/report\n/report 孩子发烧两天了\n/quit\n", AT)
    assert "统计" in after(out, "/report") and "留言" not in after(out, "/report")
    assert "“孩子发烧两天了”" in after(out, "/report 孩子发烧两天了")  # said back, never ignored


def test_a_teacher_s_words_after_report_are_said_back(monkeypatch, tmp_path, sample_roster):
    # Staff who may not read the figures keep the figures' /report, but the words are not silently dropped.
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 王老师\n/report 孩子发烧两天了\n/quit\n", AT)
    reply = after(out, "/report 孩子发烧两天了")
    assert reply.startswith("统计数据只提供给")
    assert "“孩子发烧两天了”没有发给任何人" in reply


@pytest.mark.parametrize("typed", ["报告杨秀云摔倒了", "报告：杨秀云 摔倒了", "报告杨秀云，摔倒了", "報告楊秀雲摔倒了"])
def test_a_guardian_s_report_glued_to_the_name_is_the_family_report(monkeypatch, tmp_path, sample_roster, typed):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as #43\n{typed}\n/quit\n", AT)
    reply = after(out, typed)
    assert reply.startswith(PASSED) and NUMBERS in reply
    [to_teacher] = told_to(reply, "王老师（班主任）")
    assert "报告" not in to_teacher and "報告" not in to_teacher and "摔倒了" in to_teacher


def test_a_grandmother_s_glued_report_goes_to_the_named_grandchild_s_teacher(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 李雪\n报告刘帅发烧了\n/quit\n", AT, "--all")
    reply = after(out, "报告刘帅发烧了")
    assert "您关于刘帅的留言已转给张老师（班主任）" in reply  # no "which child?": the name said it
    assert told_to(reply, "张老师（班主任）")[0].startswith("李雪（刘帅的外祖母，一年级（3）班）留言：\n“刘帅发烧了”")


@pytest.mark.parametrize("typed", ["报告杨秀云", "报告杨秀云摔倒了", "报告 杨秀云 摔倒了", "/report 杨秀云摔倒了"])
def test_the_class_teacher_s_report_with_the_name_starts_the_incident_report(monkeypatch, tmp_path, sample_roster,
                                                                            typed):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as 王老师\n{typed}\n/quit\n", AT)
    assert after(out, typed).startswith("关于杨秀云的突发事件：发生了什么？")


def test_the_words_after_the_name_can_be_the_description(monkeypatch, tmp_path, sample_roster):
    script = ":as 王老师\n报告杨秀云摔倒了\n1\n2\n1\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT)
    asked = after(out, "2", "报告杨秀云摔倒了")
    assert asked.startswith("请简要描述杨秀云的情况") and "您已写了：“摔倒了”" in asked and "1. 就用我写的" in asked
    confirm = after(out, "1", "2")
    assert confirm.startswith("确认报告关于杨秀云的突发事件吗？") and "描述：摔倒了" in confirm


@pytest.mark.parametrize(("typed", "child"), [("报告张小红丽摔倒了", "张小红丽"), ("报告张小红摔倒了", "张小红"),
                                              ("报告陈涛华头疼", "陈涛华"), ("报告陈涛头疼", "陈涛")])
def test_a_longer_name_is_never_taken_for_a_shorter_one(monkeypatch, tmp_path, sample_roster, typed, child):
    # The principal may report about every child: 张小红 and 张小红丽 (陈涛 and 陈涛华) are both in the school.
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as 王校长\n{typed}\n/quit\n", AT)
    assert after(out, typed).startswith(f"关于{child}的突发事件：发生了什么？")


URGENT_THEN_MORE = ":as #43\n孩子发高烧抽筋了\n孩子不见了\n我在村口等\n:as 王老师\n/due\n/quit\n"


def test_urgent_follow_ups_are_listed_under_the_urgent_message_in_due(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, URGENT_THEN_MORE, NIGHT)
    due = after(out, "/due")
    assert "还在等您回答" not in due  # the urgent message waiting is this very item, not asked again after it
    assert due.count("张强（杨秀云的外祖父，一年级（1）班）留言：") == 1  # one item for one emergency
    [item] = [i for i in due.split("\n\n") if "留言：" in i]
    assert item.startswith("【紧急】（") and FROM_GRANDPA.format(words="孩子发高烧抽筋了").split("\n电话")[0] in item
    assert item.rstrip().endswith("1. 回复")
    assert "家人又发来2条补充：" in item
    assert "“孩子不见了”" in item and "“我在村口等”" in item
    assert item.index("“孩子不见了”") < item.index("“我在村口等”")


def test_urgent_follow_ups_in_english(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, URGENT_THEN_MORE, NIGHT, "--lang", "en")
    assert "Followed by 2 more messages:" in after(out, "/due")


@pytest.mark.parametrize("words", ["孩子不见了", "孩子發燒抽搐", "救命", "孩子发烧了，39度", "杨秀云发热39.5℃"])
def test_emergency_words_at_night_reach_the_class_teacher_at_once(monkeypatch, tmp_path, sample_roster, words):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as #43\n{words}\n/quit\n", NIGHT)
    reply = after(out, words)
    assert "已作为紧急消息马上转给王老师（班主任）" in reply and "现在是夜间" not in reply  # not held till 07:00
    [urgent] = told_to(reply, "王老师（班主任）")  # printed now: sent now, inside the quiet hours
    assert urgent.startswith("【紧急】（2026年12月4日 23:30）张强（杨秀云的外祖父，一年级（1）班）留言：")
    assert f"“{words}”" in urgent


def test_an_ordinary_message_at_night_waits_for_the_morning(monkeypatch, tmp_path, sample_roster):
    # The counterpart of the test above: the quiet hours do hold what is not an emergency.
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as #43\n孩子这周作业没写完\n/quit\n", NIGHT)
    reply = after(out, "孩子这周作业没写完")
    assert "现在是夜间" in reply and not told_to(reply, "王老师（班主任）")
