"""A staff command from a family, a teacher's sentence with nothing in progress (new-user trial, fix6al).

李雪 typed ``谈心记录 刘帅`` (the staff command for 刘帅's talk records) and it reached 张老师 as a message (LOW-5):
it is now answered "that command is for teachers", the same for any name. 王老师 typed ``报告老师孩子今天没来``
with nothing in progress and was only told "not understood" (LOW-6): she now reads how to report.
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo

WEEKDAY = "2026-12-02 10:00"
FOR_TEACHERS = ("这个命令是给孩子的老师用的，所以没有转给老师。您可以发送“档案”、空格和孩子的名字，查看自己孩子的档案；"
                "有什么想告诉老师的，直接在这里写下来，我会转给班主任。")


@pytest.mark.parametrize("typed", ["谈心记录 刘帅", "谈心记录 杨秀云", "谈心记录 王小明", "谈心 刘帅", "方案：刘帅"])
def test_a_guardians_staff_command_is_answered_not_relayed(monkeypatch, tmp_path, sample_roster, typed):
    # Her own grandson, another class's child, a name of nobody: the same words, so nothing is said about a child.
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as 李雪\n{typed}\n/quit\n", WEEKDAY)
    told = after(out, typed)
    assert told.strip() == FOR_TEACHERS
    assert "留言" not in told and "[→" not in told


def test_a_guardians_own_words_still_reach_the_teacher(monkeypatch, tmp_path, sample_roster):
    script = ":as 李雪\n任务\n刘帅这两天咳嗽\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, WEEKDAY)
    assert "“任务”" in after(out, "任务")  # a word alone may be the start of a message (conv6s)
    assert "“刘帅这两天咳嗽”" in after(out, "刘帅这两天咳嗽")


def test_in_english_too(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 李雪\n谈心记录 刘帅\n/quit\n", WEEKDAY, "--lang", "en")
    assert after(out, "谈心记录 刘帅").startswith("That command is for the child's teachers, so I have not passed")


def test_a_teachers_sentence_with_nothing_in_progress_shows_how_to_report(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, "报告老师孩子今天没来\n:as 李雪\n你好呀\n/quit\n", WEEKDAY)
    assert after(out, "报告老师孩子今天没来").startswith(
        "抱歉，我没有看懂。要报告孩子的情况，请发送“报告”、空格和孩子的名字，例如“报告 张三”，我会一步步问您。"
        "发送“帮助”查看老师能用的全部命令。")
    assert "报告 张三" not in after(out, "你好呀")  # a family member is never shown a teacher's command


def test_a_teachers_sentence_in_english(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, "report teacher child absent today\n/quit\n", WEEKDAY,
                   "--lang", "en")
    assert "To report something about a child, send “report” and the child's name" in after(
        out, "report teacher child absent today")
