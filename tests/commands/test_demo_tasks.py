"""Issue 9's re-trial of the demo: the call tasks a teacher sees after weeks of silence, and what the principal sees."""

from __future__ import annotations

import re

from tests.support.demo import after, run_demo


def test_a_teacher_has_one_call_task_per_child_after_three_silent_weeks(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 王校长\n:wait 20d\n:as 卢老师\n/tasks\n/quit\n",
                "2026-12-04 17:58")
    shown = after(out, "/tasks")
    assert "您的未完成任务（13项，其中逾期13项）：" in shown
    [line] = [row for row in shown.splitlines() if row.startswith("• 【逾期】杨婷：")]
    assert line == ("• 【逾期】杨婷：给监护人打电话（每周联系未回复），已3周未回复——杨兵 150 0013 7652，"
                    "原定2026年12月9日 18:58前完成")  # the first week's due date: still overdue, not moved on


def test_the_principal_hears_of_the_schools_overdue_tasks_per_teacher(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 王校长\n:wait 13d\n/due\n/tasks\n/tasks 卢老师\n/quit\n",
                "2026-12-04 17:58", "--all")
    due = after(out, "/due")
    assert re.search(r"\n全校逾期任务：\d+项（卿杰老师 16、唐老师 15、[^\n]*卢老师 13、[^\n]*…）\n"
                     r"发送 /tasks 按负责人查看。", due)
    to_her = out.split("[→ 王校长（校领导）]\n")[1:]
    digests = [m for m in to_her if m.startswith("全校逾期任务：")]  # her daily digest, one a school day
    assert digests and "卢老师 13" in digests[-1] and "发送 /tasks 按负责人查看。" in digests[-1]
    tasks = after(out, "/tasks")
    assert "全校其他未完成的任务（122项，其中逾期122项），按负责人：" in tasks
    assert "\n• 卢老师：13项未完成，其中逾期13项\n" in tasks
    assert "发送 /tasks 加姓名查看某位同事的任务，例如 /tasks 卿杰老师。" in tasks
    assert len(tasks.splitlines()) < 20 and "杨婷" not in tasks  # one line per teacher, not 122
    theirs = after(out, "/tasks 卢老师")
    assert theirs.startswith("卢老师的未完成任务（13项，其中逾期13项）：\n• 【逾期】")
    assert "请选择一项任务，完成或转交。\n1. 卢老师——" in theirs
