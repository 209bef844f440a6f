"""A "which child?" whose child's incident the teacher closed meanwhile: never silence (fix6j, issue 6 item 4).

李雪 looks after 刘帅 and 刘婷婷; 张老师 reports both missing. Her ``找到了`` is asked "which child?"; before she
answers, 张老师 closes 刘帅's incident. Her answer from the question still on her screen must be answered, and her
words must reach someone — never be passed as 刘婷婷's all clear by guess.

Since fix6l the close notice asks her again at once, for 刘婷婷 only, answered by words (是 / 不是 / a name): a
number typed from the old list (``2`` was 刘帅, ``1`` 刘婷婷) is no answer, since it could now mean another child.
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo, told_to

AT = "2026-12-02 16:00"
REPORTS = ("报告 刘帅\n3\n1\n放学后没回家\n1\n报告 刘婷婷\n3\n1\n放学后没回家\n1\n:wait 2m\n"
           ":as 李雪\n1\n1\n找到了\n")
CLOSE_LIU_SHUAI = ":as 张老师\n结束事件\n1\n4\n跳过\n确认结束\n:as 李雪\n"
CLOSED = "关于刘帅的突发事件刚才已经结束，结果已发给您。"


def _demo(monkeypatch, tmp_path, sample_roster, answers: str) -> str:
    script = f":as 张老师\n{REPORTS}{CLOSE_LIU_SHUAI}{answers}"
    return run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all")


ASKED_AGAIN = ("您说的“找到了”还在等您确认：是关于刘婷婷的吗？如果是，收到刘婷婷事件通知的人都会被告知。\n"
               "“是，说的是刘婷婷” / “不是，撤回”")
TINGTING_CLEARED = "您关于刘婷婷的话已转告收到这起突发事件通知的人：张老师、刘亮。"


def test_the_close_notice_asks_her_again_for_the_child_still_missing(monkeypatch, tmp_path, sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, "")
    assert "1. 刘婷婷 2. 刘帅 3. 都有关 4. 撤回：孩子还没找到" in after(out, "找到了")
    [notice] = told_to(after(out, "确认结束"), "李雪（委托监护人）")
    assert notice.startswith("关于刘帅（一年级（3）班）的突发事件")
    assert notice.rstrip().endswith(ASKED_AGAIN)  # the old list (2. 刘帅) is no longer the question


@pytest.mark.parametrize("stale", ["1", "2", "3", "4"])
def test_a_number_from_the_old_list_answers_nothing(monkeypatch, tmp_path, sample_roster, stale):
    out = _demo(monkeypatch, tmp_path, sample_roster, f"{stale}\n")
    answered = after(out, stale, "确认结束")
    assert "不能用数字回答" in answered and answered.rstrip().endswith(ASKED_AGAIN)
    assert "[→" not in answered  # nobody told anything, 刘婷婷's father least of all


@pytest.mark.parametrize("typed", ["是", "刘婷婷", "是，说的是刘婷婷"])
def test_yes_or_her_name_passes_her_all_clear(monkeypatch, tmp_path, sample_roster, typed):
    out = _demo(monkeypatch, tmp_path, sample_roster, f"{typed}\n")
    answered = after(out, typed, "确认结束")
    assert TINGTING_CLEARED in answered
    assert told_to(answered, "刘亮（外出务工父母）")  # 刘婷婷's all clear reached her father


def test_naming_the_child_whose_incident_closed_sends_the_words_to_the_teacher(monkeypatch, tmp_path,
                                                                             sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, "刘帅\n")
    answered = after(out, "刘帅", "确认结束")
    assert answered.startswith(CLOSED)
    assert "您关于刘帅的留言已转给张老师（班主任）" in answered
    assert any("“找到了”" in m for m in told_to(answered, "张老师（班主任）"))
    assert not told_to(answered, "刘亮（外出务工父母）")  # no all clear about 刘婷婷 by guess


def test_no_takes_it_back(monkeypatch, tmp_path, sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, "不是\n")
    answered = after(out, "不是", "确认结束")
    assert answered.startswith("已撤回您的“平安”消息")
    assert not told_to(answered, "刘亮（外出务工父母）")


def test_words_added_after_one_closed_ask_again_for_the_open_child_only(monkeypatch, tmp_path, sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, "在邻居家\n")
    asked = after(out, "在邻居家", "确认结束")
    assert "1. 刘婷婷 2. 撤回：孩子还没找到" in asked
    assert "刘帅" not in asked


CLOSE_LIU_TINGTING = ":as 张老师\n结束事件\n4\n跳过\n确认结束\n:as 李雪\n"


def test_when_both_close_she_is_asked_whether_her_words_go_to_the_teacher(monkeypatch, tmp_path, sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, f"{CLOSE_LIU_TINGTING}1\n")
    [notice] = told_to(after(out, "确认结束", nth=2), "李雪（委托监护人）")
    assert notice.rstrip().endswith("您说的“找到了”没有作为平安消息转告：这些事件都已结束。要把这句话转给班主任吗？\n"
                                    "1. 转给班主任 2. 不用了")
    sent = after(out, "1", "确认结束")
    assert "您关于刘婷婷的留言已转给张老师（班主任）" in sent and "您关于刘帅的留言已转给张老师（班主任）" in sent
