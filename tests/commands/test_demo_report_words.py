"""A family member's words after 报告 reach the class teacher, besides the emergency numbers (fixf)."""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

AT = "2026-12-02 10:00"


def test_a_guardian_s_words_after_report_are_passed_to_the_class_teacher(monkeypatch, tmp_path, sample_roster):
    script = ":as #43\n报告\n报告 杨秀云\n报告 孩子今天摔了一跤\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all")
    reply = after(out, "报告 孩子今天摔了一跤")
    assert "突发事件由学校教职工报告。紧急情况请先拨打110（报警）或120（急救），再联系学校。" in reply
    assert "谢谢。您关于杨秀云的留言已转给王老师（班主任），老师看到后会在这里回复您。" in reply
    assert told_to(reply, "王老师（班主任）") == ["张强（杨秀云的外祖父，一年级（1）班）留言：\n“孩子今天摔了一跤”\n"
                                                  "电话：138 0013 6956\n1. 回复\n"]
    for bare in ("报告", "报告 杨秀云"):  # nothing more to pass on than the numbers answer
        assert "留言" not in after(out, bare)


def test_the_words_after_report_leave_the_check_in_waiting(monkeypatch, tmp_path, sample_roster):
    script = ":wait 2m\n:as #43\n报告 孩子今天摔了一跤\n1\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-04 17:58", "--all")
    reply = after(out, "报告 孩子今天摔了一跤")
    assert "“孩子今天摔了一跤”" in reply
    assert after(out, "1").startswith("谢谢！已记录：杨秀云这周很好。")
