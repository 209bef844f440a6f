"""A grandfather's missed week and late answers, and the figures officials see (fixc)."""

from __future__ import annotations

import openpyxl

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


def test_officials_see_a_numerator_of_1_to_4_as_under_5_in_chat_and_xlsx(monkeypatch, tmp_path, sample_roster):
    script = (":wait 2m\n:as #43\n1\n跳过\n:as 李雪\n1\n跳过\n2\n跳过\n:as 镇政府李干事\n/report\n"
              "/export 统计\n:as 张科长\n/report\n/quit\n")
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT)
    report = after(out, "/report")
    assert "• 监护人回复每周联系：<5/122 (≤4%)\n" in report  # 3 answered: neither "3" nor a percentage, a band
    assert "每周联系 <5/122 (≤4%)；" in report and "3/122" not in report and "2.5%" not in report
    county = after(out, "/report", since=":as 张科长")
    assert "• 监护人回复每周联系：<5/" in county and "1/122" not in county
    [book] = (tmp_path / "guanai-files").glob("*.xlsx")
    sheet = openpyxl.load_workbook(book).worksheets[0]
    head = [c.value for c in sheet[1]]
    done = head.index("每周联系回复: 完成")
    for row in sheet.iter_rows(min_row=2, max_row=3, values_only=True):
        assert row[done:done + 3] == ("<5", 122, "≤4%")  # the band, ceil(100·4/122), for the percentage


def test_the_english_export_menu_names_the_english_words(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 王校长\n/export\n/export figures term\n/quit\n", AT,
                   "--lang", "en")
    menu = after(out, "/export")
    assert "add term or year for the figures" in menu and "1. roster — the roster" in menu
    assert not any(word in menu for word in ("学期", "学年", "花名册", "统计"))
    assert "Here is “" in after(out, "/export figures term")
