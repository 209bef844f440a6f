"""Trial findings of the conv6p round (issue 6): a family's words around an open incident."""

from __future__ import annotations

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from bot.store.models import IncidentEvent
from tests.support.demo import after, left_school, run_demo, told_to

AT = "2026-12-04 16:58"
REPORT = ":as 王校长\n报告 杨秀云\n1\n1\n课间摔倒，膝盖擦伤\n1\n"  # the principal reports; 王老师 is her class teacher
ABOUT_IT = ("张强（委托监护人）于2026年12月4日 18:58回复了关于杨秀云（一年级（1）班）的事件通知"
            "（受伤，报告于2026年12月4日 16:58）：\n")


def test_a_question_hours_after_confirming_reaches_those_handling_the_incident(monkeypatch, tmp_path,
                                                                               sample_roster):
    url = f"sqlite:///{tmp_path / 'school.db'}"
    script = (REPORT + ":as #43\n收到\n:wait 2h\n在哪个医院\n:as 王老师\n回复\n在县医院，已经包扎好了\n"
              ":as #43\n/quit\n")
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--database", url)
    asked = after(out, "在哪个医院")
    assert asked.startswith("谢谢。您关于杨秀云（2026年12月4日 16:58报告的突发事件）的留言已马上转给"
                            "王校长（事件报告人）、王老师（班主任），看到后会在这里回复您。")
    for reader in ("王校长（校领导）", "王老师（班主任）"):  # the reporter and the class teacher, about THAT incident
        told = told_to(asked, reader)
        assert told and told[0].startswith(ABOUT_IT + "“在哪个医院”\n电话：138 0013 6956\n1. 回复"), reader
    answered = after(out, "在县医院，已经包扎好了")
    assert answered.startswith("已发送给张强。")
    assert told_to(answered, "张强（委托监护人）")[0].startswith(
        "王老师（杨秀云的班主任）回复了您的留言：\n“在县医院，已经包扎好了”")
    with Session(create_engine(url)) as s:  # on the incident's timeline, once
        notes = s.scalars(select(IncidentEvent.note).where(IncidentEvent.kind == "replied")).all()
    assert notes == ["在哪个医院"]


def test_a_parent_reached_by_the_chain_asks_too_until_the_incident_is_closed(monkeypatch, tmp_path, sample_roster):
    script = (REPORT + ":wait 61m\n:as #44\n收到\n:wait 10m\n孩子怎么样了\n"
              ":as 王校长\n结束事件\n1\n1\n确认结束\n:as #44\n她明天上学吗\n/quit\n")
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT)
    asked = after(out, "孩子怎么样了")
    assert asked.startswith("谢谢。您关于杨秀云（2026年12月4日 16:58报告的突发事件）的留言已马上转给"
                            "王校长（事件报告人）、王老师（班主任）")
    # Closed, the words are an ordinary family message again: to the class teacher.
    assert after(out, "她明天上学吗").startswith("谢谢。您关于杨秀云的留言已转给王老师（班主任）")


def test_a_question_in_english(monkeypatch, tmp_path, sample_roster):
    script = REPORT + ":as #43\n收到\n:wait 2h\nhow is she now?\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--lang", "en")
    assert after(out, "how is she now?").startswith(
        "Thank you. Your message about 杨秀云 (the incident reported at ")


def test_the_principal_who_reported_gets_the_emergency_words_with_reply_and_phone(monkeypatch, tmp_path,
                                                                                  sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, REPORT + ":as #43\n救命\n/quit\n", AT)
    to_reporter = told_to(after(out, "救命"), "王校长（校领导）")
    assert to_reporter[-1].endswith("“救命”\n电话：138 0013 6956\n1. 回复\n")
    to_teacher = told_to(after(out, "救命"), "王老师（班主任）")
    assert to_teacher[0].startswith("【紧急】") and to_teacher[0].count("1. 回复") == 1


def test_an_alert_about_a_child_who_left_since_still_gets_the_emergency_advice(monkeypatch, tmp_path,
                                                                                 sample_roster):
    url, roster = left_school(monkeypatch, tmp_path, sample_roster, REPORT, "已报告")
    out = run_demo(monkeypatch, tmp_path, roster, ":as #43\n救命\n/quit\n", "2026-11-20 10:05", "--database", url)
    answer = after(out, "救命")
    assert answer.startswith("紧急情况请马上拨打120（急救）或110（报警）。\n学校联系人刘主任：150 0013 4841")
    assert "系统里没有您孩子的老师信息" not in answer  # the reporter reads the words, with Reply and phone
    assert told_to(answer, "王校长（校领导）")[-1].endswith("“救命”\n电话：138 0013 6956\n1. 回复\n")
