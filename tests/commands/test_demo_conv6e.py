"""Urgent messages come first (issue 6, DESIGN.md "Conversations"): the demo scripts of the third trial round."""

from __future__ import annotations

import pytest

from tests.support.demo import run_demo

CHECKIN = "杨秀云这周过得怎么样？\n1. 很好 2. 一般 3. 需要帮助"


@pytest.mark.parametrize("word", ["好", "没事", "还好"])
def test_after_an_emergency_message_a_bare_word_records_no_checkin_answer(monkeypatch, tmp_path, sample_roster,
                                                                          word):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":wait 2m\n:as #43\n救命\n{word}\n/quit\n",
                "2026-12-04 17:58")
    assert ("[→ 王老师（班主任）]\n【紧急】（2026年12月4日 18:00）张强（杨秀云的外祖父，一年级（1）班）留言：\n"
            "“救命”") in out
    assert f"> {word}\n这句话没有作为下面问题的回答记录。方便时请回答：\n\n{CHECKIN}" in out
    assert "已记录：杨秀云这周" not in out  # neither 很好 nor 一般


def test_received_after_the_emergency_advice_is_taken_as_such_and_the_checkin_shown_again(
        monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":wait 2m\n:as #43\n救命\n收到\n1\n/quit\n",
                "2026-12-04 17:58")
    assert f"> 收到\n好的。老师已经收到您的紧急消息。\n\n{CHECKIN}" in out
    assert "不是这个问题的回答" not in out
    assert "> 1\n谢谢！已记录：杨秀云这周很好。" in out  # the answer to the question shown again counts


def test_a_grandmother_of_two_answers_no_checkin_by_a_word_after_her_emergency_message(
        monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":wait 2m\n:as 李雪\n帅帅不见了\n好\n/quit\n",
                   "2026-12-04 17:58")
    assert ("[→ 张老师（班主任）]\n【紧急】（2026年12月4日 18:00）李雪（刘帅的外祖母，一年级（3）班）留言：\n"
            "“帅帅不见了”") in out
    assert ("> 好\n这句话没有作为下面问题的回答记录。方便时请回答：\n\n刘婷婷这周过得怎么样？\n"
            "1. 很好 2. 一般 3. 需要帮助") in out
    assert "已记录：刘婷婷这周很好" not in out and "已记录：刘帅" not in out


TALK = "谈心 杨婷\n好\n:as #43\n救命\n:as 王老师\n"
STUDIES = "杨婷的学习情况怎么样？\n1. 好 2. 一般 3. 较差"


def test_an_urgent_family_message_comes_before_the_talk_in_progress(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, TALK + "1\n我马上打过来\n好\n/quit\n", "2026-12-04 17:50",
                "--all")
    teacher = out.split("[→ 王老师（班主任）]\n【紧急】")[1].split("\n\n> ")[0]
    assert teacher.endswith("请马上给家人打电话。报告突发事件：发送“报告 杨秀云”。\n1. 回复")  # its own 1, now
    assert "请先回答上面" not in out
    assert "> 1\n请写下给张强的回复（关于杨秀云）：" in out
    assert f"> 我马上打过来\n已发送给张强。\n\n继续记录与杨婷的谈心：\n\n{STUDIES}" in out
    assert "[→ 张强（委托监护人）]\n王老师（杨秀云的班主任）回复了您的留言：\n“我马上打过来”" in out
    assert "> 好\n杨婷的生活情况" in out  # the talk goes on where it was
    assert "备注" not in out


def test_reply_typed_during_a_talk_answers_the_urgent_family_message_not_the_talk(monkeypatch, tmp_path,
                                                                                  sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, TALK + "回复：我马上打过来\n/quit\n", "2026-12-04 17:50",
                   "--all")
    assert f"> 回复：我马上打过来\n已发送给张强。\n\n继续记录与杨婷的谈心：\n\n{STUDIES}" in out
    assert "[→ 张强（委托监护人）]\n王老师（杨秀云的班主任）回复了您的留言：\n“我马上打过来”" in out
    assert "已记入这次谈心的备注" not in out and "“回复：我马上打过来”" not in out


def test_reply_typed_during_a_talk_answers_an_ordinary_family_message_waiting(monkeypatch, tmp_path, sample_roster):
    script = ":as #43\n孩子发烧两天了\n:as 王老师\n谈心 杨婷\n好\n回复 明天带去卫生院\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-04 17:50", "--all")
    assert f"> 回复 明天带去卫生院\n已发送给张强。\n\n继续记录与杨婷的谈心：\n\n{STUDIES}" in out
    assert "已记入这次谈心的备注" not in out
