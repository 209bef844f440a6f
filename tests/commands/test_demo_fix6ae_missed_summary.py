"""Both parents missing their deadline together come as ONE notice to whoever phones (fix6ae).

张老师 (another class's teacher, outside 杨秀云's family circle) reports her injury; nobody answers. At 11:00 both
parents miss step 2 in the same run: 张老师 reads one summary by relation, naming who was asked to phone, and
王老师 (the class teacher, who phones the family) one summary with both names and phones — not two notices each.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

SCRIPT = ":as 张老师\n报告 杨秀云\n1\n1\n放学路上摔伤了膝盖\n1\n:wait 65m\n:as 王老师\n/quit\n"
HEADER = ("未能按时联系到：以下人员在各自的期限前未确认关于杨秀云（一年级（1）班）的突发事件"
          "（受伤，报告于2026年12月2日 10:00）：")


def test_parents_missed_together_reach_the_reporter_and_the_class_teacher_once(monkeypatch, tmp_path,
                                                                                sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, SCRIPT, "2026-12-02 10:00")
    reporter = told_to(after(out, ":wait 65m"), "张老师（班主任）")
    assert len(reporter) == 2, reporter  # the grandfather at 10:30; both parents at 11:00
    assert reporter[1].startswith(HEADER + "\n• 孩子的父亲（第2步），期限2026年12月2日 11:00：已请王老师打电话联系。\n"
                                  "• 孩子的母亲（第2步），期限2026年12月2日 11:00：已请王老师打电话联系。"), reporter[1]
    teacher = [m for m in told_to(after(out, ":as 王老师"), "王老师（班主任）") if m.startswith("未能按时联系到")]
    assert len(teacher) == 2, teacher
    assert teacher[1].startswith(HEADER), teacher[1]
    assert "• 杨杨（父亲，第2步），期限2026年12月2日 11:00：138 0013 7614" in teacher[1]
    assert "• 谢冬梅（母亲，第2步），期限2026年12月2日 11:00：138 0013 3241" in teacher[1]
