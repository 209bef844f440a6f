"""Worry words while "是说杨秀云这周很好吗？" waits, with or without ``报告``: "needs help", never "good" (fix6t).

A breaker: 张强 answers Friday's check-in ``好的`` and is asked "是说杨秀云这周很好吗？"; he then writes
``报告 孩子发烧了``. His words went to 王老师 as a plain message, the confirmation was asked again, and his next
``好的`` recorded "杨秀云这周很好" — the helper teacher 唐老师 was never told. Now the words answer the check-in.
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"


def test_report_words_at_the_confirmation_are_needs_help(monkeypatch, tmp_path, sample_roster):
    script = ":as #43\n:wait 2m\n好的\n报告 孩子发烧了\n好的\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all")
    said = after(out, "报告 孩子发烧了")
    assert "已记录：杨秀云这周需要帮助。" in said and "是说杨秀云这周很好吗" not in said
    assert "杨秀云需要哪方面的帮助？\n1. 身体健康 2. 学习 3. 经济困难 4. 安全 5. 其他 6. 改一下" in said
    assert told_to(said, "唐老师（帮扶教师）")
    [teacher] = told_to(said, "王老师（班主任）")
    assert "“孩子发烧了”" in teacher
    assert "很好" not in after(out, "好的", nth=2)


@pytest.mark.parametrize("line", ["report the child has a fever", "/incident the child has a fever"])
def test_report_or_incident_words_in_english(monkeypatch, tmp_path, sample_roster, line):
    script = f":as #43\n:wait 2m\nok\n{line}\nok\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all", "--lang", "en")
    said = after(out, line)
    assert "Recorded: 杨秀云 this week: Needs help." in said and "Do you mean" not in said
    assert told_to(said, "唐老师 (helper teacher)")
    [teacher] = told_to(said, "王老师 (class teacher)")
    assert "“the child has a fever”" in teacher
    assert "all good" not in after(out, "ok", nth=2)


HOLD_ZH = ":as #43\n:wait 2m\n好的\n:as 王老师\n报告 杨秀云\n1\n1\n头破了\n1\n:as #43\n收到\n"
HOLD_EN = ":as #43\n:wait 2m\nok\n:as 王老师\nreport 杨秀云\n1\n1\nhead cut open\n1\n:as #43\nok\n"


def test_the_check_in_comes_back_as_the_week_question_not_the_confirmation(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, HOLD_ZH + "没事了\n好的\n", FRIDAY)
    cleared = after(out, "没事了")
    assert "还在等您回答：\n\n杨秀云这周过得怎么样？\n1. 很好 2. 一般 3. 需要帮助" in cleared
    assert "是说杨秀云这周很好吗" not in cleared
    assert "已记录：杨秀云这周很好" not in after(out, "好的", "没事了")


def test_the_close_notice_carries_the_week_question(monkeypatch, tmp_path, sample_roster):
    script = HOLD_ZH + ":as 王老师\n结束事件\n4\n跳过\n确认结束\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY)
    [notice] = told_to(after(out, "确认结束"), "张强（委托监护人）")
    assert notice.rstrip().endswith("还在等您回答：\n杨秀云这周过得怎么样？\n1. 很好 2. 一般 3. 需要帮助")


def test_the_week_question_comes_back_in_english_too(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, HOLD_EN + "she is fine now\nok\n", FRIDAY, "--lang", "en")
    cleared = after(out, "she is fine now")
    assert "Still waiting for your answer:\n\nHow is 杨秀云 this week?\n1. All good 2. So-so 3. Needs help" in cleared
    assert "Do you mean" not in cleared
    assert "Recorded: 杨秀云 this week: All good" not in after(out, "ok", "she is fine now")
