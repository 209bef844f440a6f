"""A guardian left out of an incident's chain never joins another family member's 【紧急】 message (fixl).

A tester: the grandfather 张强, left out of the chain of an abuse report about 杨秀云 (``家属涉嫌，不再通知``),
wrote ``孩子在哪里`` while the mother's ``孩子发高烧抽筋了`` was open; he read "…作为杨杨所发紧急消息的补充…" and
the class teacher got his words as 【紧急·补充】. Now his words reach the school as ordinary words about the child,
he is told nothing of her or of her message, and his own emergency words still ring the class teacher at once.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

AT = "2026-12-04 17:58"
LEFT_OUT = ("报告 杨秀云\n1\n1\n孩子身上有伤，说是被打的\n1\n:as #43\n1\n"
            ":as 刘主任\n待办\n1\n2\n1\n家属涉嫌，不再通知\n")
URGENT = ":as #44\n孩子发高烧抽筋了\n:wait 2m\n"


def test_the_left_out_grandfather_is_not_joined_to_the_mothers_urgent_message(monkeypatch, tmp_path,
                                                                                 sample_roster):
    script = f"{LEFT_OUT}{URGENT}:as #43\n孩子在哪里\n:wait 2h\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all")
    assert "已排除张强" in out
    told = after(out, "孩子在哪里")
    mine = told.split("\n\n[→ ", 1)[0]
    assert "杨杨" not in mine and "紧急" not in mine and "补充" not in mine
    to_teacher = told_to(told, "王老师（班主任）")
    assert any("孩子在哪里" in m for m in to_teacher)
    assert not any("紧急" in m for m in to_teacher)
    # The mother's urgent message's reminders and backups quote her follow-ups only, never his words.
    later = after(out, ":wait 2h")
    assert not any("孩子在哪里" in m and "随后" in m for m in told_to(later, "王老师（班主任）"))
    assert not any("孩子在哪里" in m for m in told_to(later, "唐老师（帮扶教师）"))


def test_his_all_clear_after_her_urgent_message_is_ordinary_words(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{LEFT_OUT}{URGENT}:as #43\n没事了\n/quit\n", AT, "--all")
    told = after(out, "没事了")
    mine = told.split("\n\n[→ ", 1)[0]
    assert "杨杨" not in mine and "紧急" not in mine
    to_teacher = told_to(told, "王老师（班主任）")
    assert any("“没事了”" in m for m in to_teacher) and not any("紧急" in m for m in to_teacher)
    assert told_to(told, "杨杨（外出务工父母）") == []


def test_his_own_emergency_still_rings_the_class_teacher_at_once(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{LEFT_OUT}{URGENT}:as #43\n孩子不见了\n/quit\n", AT,
                   "--all")
    told = after(out, "孩子不见了")
    assert "杨杨" not in told.split("\n\n[→ ", 1)[0]
    assert any(m.startswith("【紧急】") and "孩子不见了" in m for m in told_to(told, "王老师（班主任）"))
    for reader in ("杨杨（外出务工父母）", "谢冬梅（外出务工父母）", "刘主任"):
        assert not any("孩子不见了" in m for m in told_to(told, reader)), reader


def test_left_out_at_the_reports_confirm_step_he_is_not_joined_either(monkeypatch, tmp_path, sample_roster):
    # 排除某人 before 立即报告: no step row for him, only the ``excluded`` event.
    script = ("报告 杨秀云\n1\n1\n孩子身上有伤，说是被打的\n2\n1\n家属涉嫌，不再通知\n1\n"
              f"{URGENT}:as #43\n孩子在哪里\n/quit\n")
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all")
    assert "不通知：张强" in out
    told = after(out, "孩子在哪里")
    assert "杨杨" not in told.split("\n\n[→ ", 1)[0] and "紧急" not in told.split("\n\n[→ ", 1)[0]
    to_teacher = told_to(told, "王老师（班主任）")
    assert any("孩子在哪里" in m for m in to_teacher) and not any("紧急" in m for m in to_teacher)
