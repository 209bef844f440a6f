"""The report command as a trial's users typed it: English without the slash, and a grandmother of two.

Console demo: 王老师 is 杨秀云's class teacher; 李雪 the grandmother of 刘婷婷 and 刘帅, both in 张老师's class.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

AT = "2026-12-04 16:58"


def test_a_grandmother_of_two_reads_her_one_class_teacher_once(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 李雪\n/report 孩子发烧了\n/quit\n", AT)
    reply = after(out, "/report 孩子发烧了")
    assert "刘婷婷、刘帅的班主任张老师：150 0013 2605" in reply
    assert reply.count("150 0013 2605") == 1  # not once per grandchild


def test_english_report_with_words_starts_the_teacher_s_report_with_them(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, "report 杨秀云 fell down\n1\n1\n/quit\n", AT,
                   "--lang", "en")
    assert after(out, "report 杨秀云 fell down").startswith("Incident about 杨秀云: what happened?")
    described = after(out, "1", nth=2)
    assert "You wrote: “fell down”" in described and "1. Use what I wrote" in described


def test_a_grandmother_s_english_report_reaches_the_teacher_without_the_command_word(monkeypatch, tmp_path,
                                                                                   sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 李雪\nreport 刘婷婷 fell down\n/quit\n", AT,
                   "--lang", "en")
    reply = after(out, "report 刘婷婷 fell down")
    assert reply.startswith("Thank you. Your message about 刘婷婷 was passed to 张老师 (class teacher)")
    assert "“刘婷婷 fell down”" in told_to(reply, "张老师 (class teacher)")[0]
    assert "Incident reports are for school staff." in reply
