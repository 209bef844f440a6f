"""A "which child?" whose child's incident the teacher closed meanwhile: never silence (fix6j, issue 6 item 4).

李雪 looks after 刘帅 and 刘婷婷; 张老师 reports both missing. Her ``找到了`` is asked "which child?"; before she
answers, 张老师 closes 刘帅's incident. Her answer from the question still on her screen must be answered, and her
words must reach someone — never be passed as 刘婷婷's all clear by guess.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

AT = "2026-12-02 16:00"
REPORTS = ("报告 刘帅\n3\n1\n放学后没回家\n1\n报告 刘婷婷\n3\n1\n放学后没回家\n1\n:wait 2m\n"
           ":as 李雪\n1\n1\n找到了\n")
CLOSE_LIU_SHUAI = ":as 张老师\n结束事件\n1\n4\n跳过\n确认结束\n:as 李雪\n"
CLOSED = "关于刘帅的突发事件刚才已经结束，结果已发给您。"


def _demo(monkeypatch, tmp_path, sample_roster, answers: str) -> str:
    script = f":as 张老师\n{REPORTS}{CLOSE_LIU_SHUAI}{answers}"
    return run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all")


def test_picking_the_child_whose_incident_closed_meanwhile_is_answered_and_the_words_reach_the_teacher(
        monkeypatch, tmp_path, sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, "2\n")
    assert "1. 刘婷婷 2. 刘帅 3. 都有关 4. 撤回：孩子还没找到" in after(out, "找到了")
    answered = after(out, "2", "确认结束")
    assert answered.startswith(CLOSED)
    assert "您关于刘帅的留言已转给张老师（班主任）" in answered
    assert any("“找到了”" in m for m in told_to(answered, "张老师（班主任）"))
    assert not told_to(answered, "刘亮（外出务工父母）")  # no all clear about 刘婷婷 by guess


def test_picking_the_child_still_missing_passes_her_all_clear_and_names_the_one_closed(
        monkeypatch, tmp_path, sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, "1\n")
    answered = after(out, "1", "确认结束")
    assert answered.startswith(CLOSED)
    assert "您关于刘婷婷的话已转告收到这起突发事件通知的人：张老师、刘亮。" in answered


def test_all_of_them_after_one_closed_passes_the_open_one_and_names_the_closed(monkeypatch, tmp_path,
                                                                             sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, "3\n")
    answered = after(out, "3", "确认结束")
    assert answered.startswith(CLOSED)
    assert told_to(answered, "刘亮（外出务工父母）")  # 刘婷婷's all clear reached her father


def test_words_added_after_one_closed_ask_again_for_the_open_child_only(monkeypatch, tmp_path, sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, "在邻居家\n")
    asked = after(out, "在邻居家", "确认结束")
    assert asked.startswith(CLOSED)
    assert "1. 刘婷婷 2. 撤回：孩子还没找到" in asked
    assert "刘帅" not in asked.split(CLOSED, 1)[1]
