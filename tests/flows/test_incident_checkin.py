"""/incident, the ack:/close: buttons and the weekly check-in buttons through the flow runner."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.services import incidents
from bot.store.models import Checkin, Incident, IncidentStep
from tests.support.chat import Chat
from tests.support.school import ACCOUNTS

INVALID = "这个按钮已经失效了。"


@pytest.fixture
def reports(monkeypatch):
    """Count calls of report_incident (wrapping whatever implementation is installed)."""
    calls = []
    real = incidents.report_incident

    def counting(uow, **kwargs):
        calls.append(kwargs)
        return real(uow, **kwargs)

    monkeypatch.setattr(incidents, "report_incident", counting)
    return calls


def _row(uow_factory, model, row_id):
    with uow_factory() as uow:
        row = uow.session.get(model, row_id)
        uow.session.expunge_all()
        return row


def test_incident_flow_reports_once(flows, school, uow_factory, reports, clock):
    chat = Chat(flows, ACCOUNTS["li"])
    chat.send("报告 张三")  # any teacher may report about any child of the school: the namesakes are told apart
    assert "有2个孩子叫张三" in chat.text
    chat.tap("张三（三年级1班；监护人张爷爷）")  # the namesakes are told apart by more than the class
    assert "关于张三的突发事件：发生了什么？" in chat.text
    assert [label for label, _ in chat.choices] == [
        "受伤", "生病", "走失", "欺凌", "疑似虐待或忽视（成人所为）", "其他"]
    chat.tap("受伤")
    # 张三 has an open report from this morning (the school's fixture): add to it, or report separately.
    assert [label for label, _ in chat.choices] == ["补充到这份报告", "单独报告"]
    chat.tap("单独报告")
    assert chat.text == "张三的情况有多严重？"
    chat.tap("紧急")
    chat.send("x" * 501)
    assert "内容有点长，请控制在500字以内后重新发送。" in chat.text
    chat.send("课间从滑梯上摔下，手臂疼痛，已送校医室。")
    assert "确认报告关于张三的突发事件吗？" in chat.text
    assert "类型：受伤" in chat.text and "程度：紧急" in chat.text and "描述：课间从滑梯上摔下" in chat.text
    report = chat.payload("立即报告")
    chat.press(report)
    assert chat.text == "已报告。已开始按联系链通知相关人员；有人确认后会通知您。"
    chat.press(report)  # double tap
    assert "这个按钮属于之前的问题" in chat.text
    assert len(reports) == 1
    call = reports[0]
    assert (call["reporter_id"], call["child_id"], call["kind"], call["severity"]) == (
        school.li, school.zhang_a, "injury", "emergency")
    assert call["description"] == "课间从滑梯上摔下，手臂疼痛，已送校医室。"
    assert call["request_key"].startswith("incident:") and call["now"] == clock.now()


def test_incident_without_name_asks_for_it(flows, school, reports):
    chat = Chat(flows, ACCOUNTS["admin"])
    chat.send("/incident")
    assert chat.text == "是哪个孩子？请发送姓名。"
    chat.send("张三")  # the admin sees both namesakes
    assert "有2个孩子叫张三" in chat.text
    chat.send("2")
    assert "关于张三的突发事件" in chat.text
    chat.tap("受伤")
    chat.tap("一般")
    chat.send("放学后没有回家。")
    chat.tap("取消")
    assert chat.text == "已取消，没有保存任何内容。"
    assert reports == []


def test_any_teacher_reports_about_a_child_of_another_class_but_a_guardian_gets_the_numbers(flows, school,
                                                                                              reports):
    teacher = Chat(flows, ACCOUNTS["li"])  # 王五 is in 三年级2班, not 李老师's class: the duty teacher may report
    teacher.send("/incident 王五")
    assert teacher.text == "关于王五的突发事件：发生了什么？"
    teacher.send("/incident 没有这个人")
    assert teacher.text == "在您的学校里没有找到名叫没有这个人的孩子。"  # a report looks in the whole school (fix6q)
    guardian = Chat(flows, ACCOUNTS["grandpa"])
    guardian.send("/incident 张三")
    assert "突发事件由学校教职工报告" in guardian.text and "110" in guardian.text
    assert reports == []


def test_ack_button(flows, school, uow_factory):
    guardian = Chat(flows, ACCOUNTS["grandpa"])
    guardian.press(f"ack:{school.incident}")
    assert guardian.text == "谢谢：已记录您对张三事件通知的确认。"
    with uow_factory() as uow:
        step = uow.session.scalar(select(IncidentStep).where(IncidentStep.incident_id == school.incident))
        assert step is not None and step.acknowledged_at is not None
    guardian.press(f"ack:{school.incident}")
    assert guardian.text == "您已确认过此事件。"
    stranger = Chat(flows, ACCOUNTS["wang"])
    stranger.press(f"ack:{school.incident}")
    assert stranger.text == "这个按钮已经失效了。"  # as for an id that does not exist (fix9t)
    guardian.press("ack:99999")
    assert guardian.text == "这个按钮已经失效了。"


def test_close_button(flows, school, uow_factory):
    Chat(flows, ACCOUNTS["wang"]).press(f"close:{school.incident}")
    assert _row(uow_factory, Incident, school.incident).status == "open"
    reporter = Chat(flows, ACCOUNTS["li"])
    reporter.press(f"close:{school.incident}")
    assert reporter.text.startswith("结束关于张三（三年级1班）的突发事件")  # the outcome first, then a confirmation
    reporter.tap("孩子在家，安全")
    reporter.tap("跳过")
    reporter.tap("确认结束")
    assert reporter.text.startswith("事件已结束。")
    reporter.press(f"close:{school.incident}")
    assert reporter.text == "此事件此前已结束。"
    guardian = Chat(flows, ACCOUNTS["grandpa"])
    guardian.press(f"ack:{school.incident}")
    assert guardian.text == "此事件已结束。"


def test_checkin_needs_help_with_follow_up(flows, school, uow_factory):
    guardian = Chat(flows, ACCOUNTS["grandpa"])
    guardian.press(f"ci:{school.checkin}:h")
    assert "谢谢！已记录：张三这周需要帮助。\n已通知帮扶老师，老师会尽快联系您。" in guardian.text
    assert [label for label, _ in guardian.choices] == ["身体健康", "学习", "经济困难", "安全", "其他", "改一下"]
    guardian.send("1")
    assert "关于张三，还有什么想告诉老师的吗？" in guardian.text
    guardian.send("孩子最近咳嗽，想请老师帮忙看看。")
    # Passed to the class teacher at once (she can answer it), and still in the helper teacher's digest.
    assert guardian.text == ("谢谢。您关于张三的留言已转给李老师（班主任），老师看到后会在这里回复您。\n"
                             "会联系您的帮扶教师陈老师也已收到。")
    checkin = _row(uow_factory, Checkin, school.checkin)
    assert checkin.answer == "needs_help"
    assert checkin.follow_up_text == "[health] 孩子最近咳嗽，想请老师帮忙看看。"
    guardian.press(f"ci:{school.checkin}:g")
    assert guardian.text == "您已经回答过本周的联系了，以第一次回答为准。"
    assert _row(uow_factory, Checkin, school.checkin).answer == "needs_help"


def test_checkin_good_then_skip(flows, school, uow_factory):
    guardian = Chat(flows, ACCOUNTS["grandpa"])
    guardian.press(f"ci:{school.checkin}:g")
    assert "谢谢！已记录：张三这周很好。" in guardian.text
    guardian.tap("跳过")
    assert guardian.text == "谢谢，不需要再做什么了。"
    checkin = _row(uow_factory, Checkin, school.checkin)
    assert (checkin.answer, checkin.follow_up_text) == ("good", None)


def test_checkin_skip_button_from_the_checkin_message(flows, school, uow_factory):
    guardian = Chat(flows, ACCOUNTS["grandpa"])
    guardian.press(f"ci:{school.checkin}:s")
    guardian.press(f"cin:{school.checkin}:skip")
    assert guardian.text == "谢谢，不需要再做什么了。"
    guardian.press(f"cin:{school.checkin}:skip")
    assert guardian.text == INVALID
    assert _row(uow_factory, Checkin, school.checkin).answer == "so_so"


def test_checkin_buttons_of_someone_else_or_tampered(flows, school, uow_factory):
    teacher = Chat(flows, ACCOUNTS["li"])
    teacher.press(f"ci:{school.checkin}:h")
    assert teacher.text == INVALID
    guardian = Chat(flows, ACCOUNTS["grandpa"])
    guardian.press(f"ci:{school.checkin}:x")
    assert guardian.text == INVALID
    assert _row(uow_factory, Checkin, school.checkin).answered_at is None
