"""An URGENT family message nobody answers is not left with the class teacher alone (issue 6, the night trial).

``:as #43`` is 张强, grandfather of 杨秀云 (一年级（1）班, class teacher 王老师, helper teacher 唐老师);
王校长 is the principal. 孩子不见了 at 23:10, and 王老师 does not answer.
"""

from __future__ import annotations

from tests.support.demo import run_demo

NIGHT = "2026-12-04 23:10"
SCRIPT = ":as #43\n孩子不见了\n:wait 30m\n:wait 1h\n:as 王校长\n/quit\n"
REMINDER = ("[→ 王老师（班主任）]\n【紧急·提醒】尚未回复（2026年12月4日 23:10）：张强（杨秀云的外祖父）留言：\n"
            "“孩子不见了”\n电话：138 0013 6956\n")
TO_PRINCIPAL = ("[→ 王校长（校领导）]\n【紧急】（2026年12月4日 23:10）张强（杨秀云的外祖父，一年级（1）班）"
                "给王老师（班主任）留言，已经20分钟没有回复：\n“孩子不见了”\n电话：138 0013 6956\n")


def test_unanswered_the_class_teacher_is_reminded_and_the_helper_and_principal_are_told(
        monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, SCRIPT, NIGHT, "--all")
    waited = out.split("> :wait 30m\n", 1)[1].split("> :wait 1h\n", 1)[0]
    assert REMINDER in waited
    assert TO_PRINCIPAL in waited
    assert "[→ 唐老师（帮扶教师）]\n【紧急】（2026年12月4日 23:10）" in waited
    assert ("[→ 张强（委托监护人）]\n王老师还没有回复，学校已把杨秀云的情况同时告诉了下面这些人，"
            "他们中会有人给您打电话：\n• 唐老师（帮扶教师）：138 0013 9585\n"
            "• 王校长（校领导）：138 0013 6961\n") in waited
    assert waited.count("[→ ") == 5  # the reminder, three backups (helper, principal, admin), the family: once each
    after = out.split("> :wait 1h\n", 1)[1].split("> :as 王校长", 1)[0]
    assert "[→ " not in after  # nothing again an hour later


def test_answered_by_the_principal_the_family_hears_and_the_class_teachers_question_is_gone(
        monkeypatch, tmp_path, sample_roster):
    script = ":as #43\n孩子不见了\n:wait 30m\n:as 王校长\n1\n我马上给您打电话\n:as 王老师\n/due\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, NIGHT, "--all")
    assert "[→ 张强（委托监护人）]\n王校长（杨秀云的校领导）回复了您的留言：\n“我马上给您打电话”\n" in out
    assert "还在等您回答" not in out.split("> /due\n", 1)[1]


def test_answered_in_time_nobody_else_is_told(monkeypatch, tmp_path, sample_roster):
    script = ":as #43\n孩子不见了\n:as 王老师\n1\n我在学校找，马上给您打电话\n:wait 30m\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, NIGHT, "--all")
    waited = out.split("> :wait 30m\n", 1)[1]
    assert "[→ " not in waited


def test_the_class_teachers_received_stops_the_chain_and_the_family_hears_she_has_seen_it(
        monkeypatch, tmp_path, sample_roster):
    script = ":as #43\n孩子不见了\n:as 王老师\n收到\n:wait 30m\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, NIGHT, "--all")
    assert "[→ 张强（委托监护人）]\n王老师（杨秀云的班主任）已经看到您的紧急留言，会给您打电话或在这里回复您。\n" in out
    assert "[→ " not in out.split("> :wait 30m\n", 1)[1]
