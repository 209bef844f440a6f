"""Worry words while "是说杨秀云这周很好吗？" waits, with or without ``报告``: "needs help", never "good" (fix6t).

A breaker: 张强 answers Friday's check-in ``好的`` and is asked "是说杨秀云这周很好吗？"; he then writes
``报告 孩子发烧了``. His words went to 王老师 as a plain message, the confirmation was asked again, and his next
``好的`` recorded "杨秀云这周很好" — the helper teacher 唐老师 was never told. Now the words answer the check-in.
"""

from __future__ import annotations

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


def test_in_english_too(monkeypatch, tmp_path, sample_roster):
    script = ":as #43\n:wait 2m\nok\nreport the child has a fever\nok\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all", "--lang", "en")
    said = after(out, "report the child has a fever")
    assert "Recorded: 杨秀云 this week: Needs help." in said and "Do you mean" not in said
    assert told_to(said, "唐老师 (helper teacher)")
    [teacher] = told_to(said, "王老师 (class teacher)")
    assert "“the child has a fever”" in teacher
    assert "all good" not in after(out, "ok", nth=2)


def test_incident_command_words_in_english(monkeypatch, tmp_path, sample_roster):
    script = ":as #43\n:wait 2m\nok\n/incident the child has a fever\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all", "--lang", "en")
    said = after(out, "/incident the child has a fever")
    assert "Recorded: 杨秀云 this week: Needs help." in said and "Do you mean" not in said
    assert told_to(said, "唐老师 (helper teacher)")
