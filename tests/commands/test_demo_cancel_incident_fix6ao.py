"""取消 in an incident report with answers given asks "要放弃吗？" first, as a talk does (a new-user trial, fix6ao).

王老师 reports about 杨秀云: the kind, the severity, the description typed, then 取消 (or /cancel) slips out.
Before, all of it was gone at once; a talk asked first. Now the report is named and she chooses: 1 drops it, 2
(or 继续) asks the question that was waiting again, with its numbers. A number at "要放弃吗？" answers that
question only: ``1`` there never picks the report's first choice. With nothing entered yet it cancels at once.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo

AT = "2026-12-04 17:58"
DROP_IT = "您还没有完成杨秀云的事件报告，目前还没有保存。要放弃吗？\n1. 放弃，继续新的操作 2. 回去接着做"
GONE = "已取消关于杨秀云的突发事件报告，没有保存也没有发送任何内容。"


def test_cancel_after_answers_asks_first_and_continuing_asks_the_waiting_question(monkeypatch, tmp_path,
                                                                                  sample_roster):
    script = "报告 杨秀云\n1\n取消\n2\n1\n在操场摔倒了头破了\n/cancel\n继续\n取消\n1\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT)
    assert after(out, "取消").startswith(DROP_IT), after(out, "取消")
    back = after(out, "2")
    assert back.startswith("继续报告杨秀云的事件：\n\n杨秀云的情况有多严重？\n1. 紧急 2. 一般"), back
    assert after(out, "/cancel").startswith(DROP_IT), after(out, "/cancel")
    confirm = after(out, "继续")
    assert "确认报告关于杨秀云的突发事件吗？" in confirm and "描述：在操场摔倒了头破了" in confirm, confirm
    assert "1. 立即报告 2. 排除某人 3. 取消" in confirm
    assert out.count(DROP_IT) == 3
    assert after(out, "1", "取消", nth=2).startswith(GONE), after(out, "1", "取消", nth=2)
    assert "已报告" not in out and "[→ 张强" not in out  # ``1`` at 要放弃吗 never reported it ("1. 立即报告")


def test_a_number_at_drop_it_is_not_the_reports_choice(monkeypatch, tmp_path, sample_roster):
    script = "报告 杨秀云\n1\n/cancel\n1\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--lang", "en")
    asked = after(out, "/cancel")
    assert "your incident report about 杨秀云" in asked and "Drop it?" in asked, asked
    # The 1 typed there drops the report: it is not "Emergency", the severity question's first choice.
    dropped = after(out, "1", "/cancel")
    assert dropped.startswith("Cancelled your incident report about 杨秀云."), dropped
    assert "Describe briefly" not in out


def test_with_nothing_entered_it_cancels_at_once(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, "报告 杨秀云\n取消\n/quit\n", AT)
    assert after(out, "取消").startswith(GONE), after(out, "取消")
    assert "要放弃吗" not in out
