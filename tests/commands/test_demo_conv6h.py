"""Emergency numbers, serious illness, a child not home at night, the question after the advice (conv6h, issue 6)."""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo

NIGHT = "2026-12-04 23:10"
FRIDAY = "2026-12-04 17:58"


@pytest.mark.parametrize("number", ["120", "110", "119", "１２０"])
def test_a_bare_emergency_number_from_a_grandfather_at_night_reaches_the_teacher(monkeypatch, tmp_path,
                                                                                  sample_roster, number):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as #43\n{number}\n/quit\n", NIGHT, "--all")
    said = after(out, number)
    assert "现在没有需要回复数字的问题" not in said
    assert "拨打1" in said and "已作为紧急消息马上转给王老师" in said
    assert "[→ 王老师（班主任）]\n【紧急】" in said


def test_120_at_a_check_in_is_the_emergency_not_a_wrong_number(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":wait 2m\n:as #43\n120\n1\n1\n/quit\n", FRIDAY, "--all")
    said = after(out, "120")
    assert "请回复 1 到 3 之间的数字" not in said
    assert "请马上拨打120" in said and "【紧急】" in said
    assert "这周需要帮助" not in out and "1. 很好" not in said.split("[→ 王老师")[0]  # 120 picked no answer
    assert "已记录：杨秀云这周很好" in out.split("> 120\n", 1)[1]  # the check-in, shown again, answered


def test_120_at_an_alert_gives_the_advice_and_reaches_the_teacher_urgently(monkeypatch, tmp_path, sample_roster):
    script = "报告 杨秀云\n1\n1\n摔伤\n1\n:as #43\n120\n/quit\n"
    said = after(run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all"), "120")
    assert "请马上拨打120" in said and "[→ 王老师（班主任）]\n【紧急】" in said
    assert "不是这条事件通知的选项" not in said


@pytest.mark.parametrize("words", ["孩子发烧了很严重", "孩子病得很重", "孩子还没回家"])
def test_serious_illness_or_a_child_not_home_at_night_is_urgent(monkeypatch, tmp_path, sample_roster, words):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as #43\n{words}\n/quit\n", NIGHT, "--all")
    said = after(out, words)
    assert "[→ 王老师（班主任）]\n【紧急】" in said and "请马上拨打" in said


def test_a_message_held_for_the_night_says_when_and_whom_to_phone(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as #43\n孩子明天要带什么书\n/quit\n", NIGHT, "--all")
    said = after(out, "孩子明天要带什么书")
    assert "【紧急】" not in said
    assert "07:00" in said and "120" in said and "110" in said


@pytest.mark.parametrize("words", ["孩子不见了", "救命"])
def test_after_the_advice_a_panicked_1_records_nothing_and_the_check_in_comes_back_named(
        monkeypatch, tmp_path, sample_roster, words):
    script = f":wait 2m\n:as #43\n{words}\n1\n1\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all")
    said = after(out, words)
    assert "【紧急】" in said
    assert "1. 很好" not in said.split("[→ 王老师")[0]  # no "1. good week" under the 120/110 advice
    first_1 = out.split(f"> {words}\n", 1)[1].split("> 1\n", 1)[1]
    shown_again = ("这个数字没有作为回答记录。方便时请回答这个问题：\n\n"
                   "杨秀云这周过得怎么样？\n1. 很好 2. 一般 3. 需要帮助")
    assert first_1.startswith(shown_again)
    assert "已记录：杨秀云这周很好" in first_1.split("> 1\n", 1)[1]  # the 1 typed to the question shown answers it


def test_a_grandmother_of_two_sends_one_urgent_message_naming_both(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 李雪\n孩子不见了\n/quit\n", NIGHT, "--all")
    said = after(out, "孩子不见了")
    assert said.count("【紧急】") == 1
    assert "李雪（刘婷婷、刘帅的外祖母，一年级（3）班）留言：\n“孩子不见了”" in said
    assert "请先回答上面" not in said
    assert said.count("张老师：150") == 1 and "刘婷婷、刘帅的班主任张老师：150" in said
