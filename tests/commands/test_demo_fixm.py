"""A child's card and ``/due`` after an incident and a family message (fixm).

刘主任 reports an injury of 杨秀云 (class teacher 王老师, helper teacher 唐老师); her guardian 张强 (#43)
confirms the alert and answers ``孩子说是王老师打的``. Those words belong to the incident: the helper
teacher it did not reach never reads them on the card. "(see /due)" is said only to who can answer; the
class teacher's /due lists the words once (his copy), not again as a message about a child he reads.
"""

from __future__ import annotations

from tests.support.demo import after as _after
from tests.support.demo import run_demo

AT = "2026-12-04 17:58"
REPLY = "孩子说是王老师打的"
INCIDENT = f":as 刘主任\n报告 杨秀云\n1\n1\n孩子身上有伤，说是被打的\n1\n:as #43\n1\n{REPLY}\n"


def test_a_reply_to_an_incident_is_not_on_the_card_of_a_helper_teacher_it_did_not_reach(
        monkeypatch, tmp_path, sample_roster):
    script = INCIDENT + ":as 唐老师\n/card 杨秀云\n:as 王老师\n/card 杨秀云\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all")
    helper = _after(out, "/card 杨秀云", ":as 唐老师")
    assert helper.startswith("杨秀云的档案（一年级（1）班）：")
    assert "家人关于杨秀云的留言" not in helper
    assert REPLY not in helper
    teacher = _after(out, "/card 杨秀云", ":as 王老师")  # the class teacher had the words: they are his to read
    assert f"张强（关于杨秀云）：“{REPLY}”——尚未回复（见 /due）" in teacher


def test_due_lists_an_incident_reply_once(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, INCIDENT + ":as 王老师\n/due\n/quit\n", AT, "--all")
    due = _after(out, "/due")
    assert due.count(REPLY) == 1, due


def test_see_due_only_for_who_can_answer(monkeypatch, tmp_path, sample_roster):
    script = ":as 李雪\n两个孩子都感冒了\n:as 袁辉老师\n/card 刘婷婷\n:as 张老师\n/card 刘婷婷\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all")
    helper = _after(out, "/card 刘婷婷", ":as 袁辉老师")
    assert "“两个孩子都感冒了”——尚未回复" in helper and "见 /due" not in helper
    assert "“两个孩子都感冒了”——尚未回复（见 /due）" in _after(out, "/card 刘婷婷", ":as 张老师")


def test_due_lists_an_urgent_message_once_marked_urgent_with_its_follow_ups(monkeypatch, tmp_path, sample_roster):
    script = ":as #43\n孩子发高烧抽筋了\n还在抽，怎么办\n已经叫了120\n:as 王老师\n/due\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-04 23:10", "--all")
    due = _after(out, "/due")
    assert due.count("孩子发高烧抽筋了") == 1 and "还在等您回答" not in due, due
    assert ("【紧急】（2026年12月4日 23:10）张强（杨秀云的外祖父，一年级（1）班）留言：\n“孩子发高烧抽筋了”\n"
            "家人又发来2条补充：\n") in due
    assert "1. 回复" in due
