"""A grandfather's missed week and late answers, and the figures officials see (fixc)."""

from __future__ import annotations

from tests.support.demo import after, run_demo

AT = "2026-12-04 17:58"


def test_last_weeks_unanswered_check_in_is_not_asked_again_as_this_week(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":wait 2m\n:wait 7d\n:as #43\n1\n跳过\n1\n/quit\n", AT)
    skipped = after(out, "跳过")
    assert "还在等您回答" not in skipped and "温馨提醒" not in skipped  # 12-04's question closed as missed
    again = after(out, "1", since="跳过")
    assert "已记录" not in again  # "杨秀云这周很好" is recorded once, for the week of 12-11
    assert out.count("谢谢！已记录：杨秀云这周很好。") == 1


def test_a_late_answer_closes_the_helper_teachers_call_task_and_tells_her(monkeypatch, tmp_path, sample_roster):
    script = ":wait 2m\n:wait 4d\n:wait 1h\n:as #43\n1\n跳过\n:as 唐老师\n/tasks 杨秀云\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT)
    late = "张强（杨秀云的监护人）迟到回复了每周联系：很好。您的电话任务已记为完成，不用再打电话了。"
    assert late in after(out, "1", since=":as #43")  # told as he answers
    assert after(out, ":as 唐老师").count(late) == 1  # and once only, among her messages
    tasks = after(out, "/tasks 杨秀云")
    assert "给监护人打电话" not in tasks and "没有未完成的任务" in tasks
