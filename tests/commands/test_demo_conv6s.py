"""Leftovers of issue 6 (conv6s): staff commands' words from a family are messages; alert replies; copies."""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo, told_to

AT = "2026-12-04 17:58"


@pytest.mark.parametrize("typed", ["任务", "统计", "档案", "审计", "tasks"])
def test_a_guardian_s_staff_command_words_reach_the_class_teacher(monkeypatch, tmp_path, sample_roster, typed):
    # The same word from the class teacher stays the command.
    script = f":as #43\n{typed}\n:as 王老师\n{typed}\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT)
    reply = after(out, typed)
    assert reply.startswith("谢谢。您关于杨秀云的留言已转给王老师（班主任），老师看到后会在这里回复您。")
    assert f"[→ 王老师（班主任）]\n张强（杨秀云的外祖父，一年级（1）班）留言：\n“{typed}”" in reply
    assert "“" + typed + "”" not in after(out, typed, ":as 王老师")  # the teacher's own word: the command


def test_the_teacher_s_task_and_figures_words_stay_commands(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 王老师\n任务\n:as 王校长\n统计\n/quit\n", AT)
    assert after(out, "任务").startswith("您没有未完成的任务。")
    assert "留言" not in after(out, "统计")


def test_a_guardian_s_family_words_stay_commands(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as #43\n待办\n帮助\n/quit\n", AT)
    assert after(out, "待办").startswith("没有待办事项")
    assert "留言" not in after(out, "帮助")


REPORT = ":as 王校长\n报告 杨秀云\n1\n1\n课间摔倒，膝盖擦伤\n1\n"  # the principal reports; 王老师 is her class teacher
DUTY_REPORT = ":as 袁老师\n报告 杨秀云\n1\n1\n课间摔倒，膝盖擦伤\n1\n"  # the teacher of another class, on duty
REPLIED = ("于2026年12月4日 16:58回复了关于杨秀云（一年级（1）班）的事件通知（受伤，报告于2026年12月4日 16:58）：\n"
           "“{words}”\n")


@pytest.mark.parametrize("words", ["收到，我马上去学校", "孩子怎么了"])
def test_the_first_words_at_the_alert_reach_the_class_teacher_too(monkeypatch, tmp_path, sample_roster, words):
    out = run_demo(monkeypatch, tmp_path, sample_roster, REPORT + f":as #43\n{words}\n/quit\n", "2026-12-04 16:58",
                   "--all")
    told = after(out, words)
    assert told.startswith("谢谢：已记录您对杨秀云事件通知的确认。\n"
                           "王校长（事件报告人）、王老师（班主任）会看到您的留言。")
    for reader in ("王校长（校领导）", "王老师（班主任）"):  # each with the Reply and the grandfather's phone
        assert ("张强（委托监护人）" + REPLIED.format(words=words) + "电话：138 0013 6956\n1. 回复") in told_to(
            told, reader)[-1], reader


def test_a_duty_teacher_reads_the_guardians_own_words_named_with_his_phone(monkeypatch, tmp_path, sample_roster):
    script = DUTY_REPORT + ":as #43\n收到，我马上去学校\n:as 王老师\n回复\n好的，孩子在医务室\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-04 16:58", "--all")
    told = after(out, "收到，我马上去学校")
    to_duty = told_to(told, "袁老师（班主任）")[-1]
    # She may answer (fix6e: the guardian is told she will read it), and call back: his words name him (fix6h).
    assert to_duty.startswith("张强（委托监护人）" + REPLIED.format(words="收到，我马上去学校") + "电话：138 0013 6956")
    assert to_duty.rstrip().endswith("1. 回复")
    assert told_to(told, "王老师（班主任）")[-1].startswith(
        "张强（委托监护人）" + REPLIED.format(words="收到，我马上去学校") + "电话：138 0013 6956\n1. 回复")
    assert told_to(after(out, "好的，孩子在医务室"), "张强（委托监护人）")[0].startswith(
        "王老师（杨秀云的班主任）回复了您的留言：\n“好的，孩子在医务室”")


ASKED = REPORT + ":as #43\n收到\n:wait 2h\n在哪个医院\n"


def test_a_question_answered_by_the_class_teacher_is_answered_for_the_reporter_too(monkeypatch, tmp_path,
                                                                                  sample_roster):
    script = ASKED + ":as 王老师\n回复\n在县医院，已经包扎好了\n:as 王校长\n/due\n回复\n好的，我也去医院\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-04 16:58")
    assert "在哪个医院" not in after(out, "/due")  # their copy no longer waits
    assert after(out, "回复", "/due").startswith(  # who answered, and what
        "王老师已于2026年12月4日 18:58回复了这条留言：\n“在县医院，已经包扎好了”\n"
        "您仍可以写下自己的回复，也会一并发送。\n\n请写下给张强的回复（关于杨秀云）：")
    assert after(out, "好的，我也去医院").startswith("已发送给张强。")  # an answer of their own still goes


def test_a_question_answered_by_the_reporter_leaves_the_class_teacher_s_due(monkeypatch, tmp_path, sample_roster):
    script = ASKED + ":as 王校长\n回复\n在县医院\n:as 王老师\n/due\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-04 16:58")
    assert "在哪个医院" not in after(out, "/due")
