"""A teacher of another class reports about a child: the child's family reaches them by relation only.

袁老师 (二年级（1）班, on duty) sees 杨秀云 of 一年级（1）班 fall. Any teacher may report (issue 6, item 5);
the child's family — 张强 (guardian), 杨杨 and 谢冬梅 (parents), their names and phones — is for her class
teacher 王老师, her helper and the school's admins (bot/services/incident_privacy.py).
"""

from __future__ import annotations

from sqlalchemy import select

from bot.messages import payloads
from bot.store.models import Incident
from tests.support.chat import Chat
from tests.support.demo import after, run_demo, told_to
from tests.support.incident_world import account, queued

FAMILY_NAMES = ("张强", "杨杨", "谢冬梅", "138 0013 6956", "138 0013 7614", "138 0013 3241")


def _shows_no_family(text: str) -> bool:
    return not any(name in text for name in FAMILY_NAMES)


def test_the_duty_teacher_reads_the_family_by_relation_only(engine, world, uow_factory):
    yuan = Chat(engine, account("yuan"))
    yuan.send("报告 杨秀云")
    yuan.tap("受伤")
    yuan.tap("紧急")
    yuan.send("操场上摔倒，膝盖流血")
    confirm = yuan.text
    assert "第1步通知：委托监护人" in confirm and "父亲" in confirm and "母亲" in confirm
    assert "孙科长（教育主管部门）" in confirm  # officials and staff keep their names
    assert _shows_no_family(confirm)
    yuan.tap("排除某人")
    assert [label for label, _ in yuan.choices][:3] == ["委托监护人", "父亲", "母亲"]
    yuan.tap("母亲")
    assert "为什么不通知母亲？" in yuan.text
    yuan.send("1")  # no reason: asked again, by relation
    assert _shows_no_family(yuan.text) and "母亲" in yuan.text
    yuan.send("法院裁定不得接触孩子")
    assert "不通知：母亲——法院裁定不得接触孩子" in yuan.text and _shows_no_family(yuan.text)
    yuan.tap("立即报告")
    with uow_factory() as uow:
        incident_id = uow.session.scalar(select(Incident.id))

    Chat(engine, account("zhangqiang")).press(payloads.incident_ack(incident_id))
    [ack] = queued(uow_factory, to=world.yuan, like=f"incident:{incident_id}:%:ack:to:%")
    assert ack.text.startswith("孩子的委托监护人已于") and _shows_no_family(ack.text)

    yuan.press(payloads.incident_view(incident_id))  # the timeline, as the reporter reads it
    assert "第1步：委托监护人— 须于" in yuan.text and "已排除：母亲——法院裁定不得接触孩子" in yuan.text
    assert _shows_no_family(yuan.text) and "孙科长" in yuan.text
    yuan.press(payloads.incident_exclude(incident_id))
    assert "父亲" in [label for label, _ in yuan.choices] and _shows_no_family(yuan.text)
    yuan.tap("父亲")
    assert "为什么不再通知父亲？" in yuan.text
    yuan.send("父亲正在赶来的路上，已电话联系")
    assert "父亲" in yuan.text and _shows_no_family(yuan.text)  # "Left out: 父亲."

    admin = Chat(engine, account("admin"))  # the school's admin knows the family: names as before
    admin.press(payloads.incident_view(incident_id))
    assert "第1步：张强（委托监护人）" in admin.text and "已排除：谢冬梅——法院裁定不得接触孩子" in admin.text


def test_the_class_teacher_reporting_reads_the_names_as_before(engine, world):
    wang = Chat(engine, account("wang"))
    wang.send("报告 杨秀云")
    wang.tap("受伤")
    wang.tap("紧急")
    wang.send("操场上摔倒，膝盖流血")
    assert "第1步通知：张强（委托监护人）" in wang.text
    wang.tap("排除某人")
    assert "张强（委托监护人）" in [label for label, _ in wang.choices]


OTHER_CLASS = (":as 张老师\n报告 杨秀云\n1\n1\n在操场摔伤\n1\n:as #43\n好的我马上去，孩子疼不疼\n"
               ":as 张老师\n1\n不太疼\n/quit\n")


def test_a_reporter_of_another_class_answers_the_guardian_s_reply(monkeypatch, tmp_path, sample_roster):
    """The guardian is told 张老师 will answer: her ``1`` answers his message, never a close from an old one.

    His own words to her name him, with his phone (the alert told him to phone her; she can call back, fix6h).
    """
    out = run_demo(monkeypatch, tmp_path, sample_roster, OTHER_CLASS, "2026-12-02 10:00")
    told = after(out, "好的我马上去，孩子疼不疼")
    assert "张老师（事件报告人）、王老师（班主任）会看到您的留言" in told
    reply = told_to(told, "张老师（班主任）")[-1]
    assert reply.startswith("张强（委托监护人）于2026年12月2日 10:00回复了关于杨秀云")
    assert "1. 回复" in reply and "电话：138 0013 6956" in reply
    assert after(out, "1", "好的我马上去，孩子疼不疼").startswith("请写下给张强的回复（关于杨秀云）：")
    sent = after(out, "不太疼")
    assert sent.startswith("已发送给张强。") and "结束" not in sent
    assert told_to(sent, "张强（委托监护人）")[0].startswith("张老师（杨秀云的老师）回复了您的留言：\n“不太疼”")


def test_in_english_the_reporter_of_another_class_answers_too(monkeypatch, tmp_path, sample_roster):
    script = OTHER_CLASS.replace("报告", "report").replace("不太疼", "not much")
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-02 10:00", "--lang", "en")
    asked = after(out, "1", "好的我马上去，孩子疼不疼")
    assert asked.startswith("Write your answer to 张强 about 杨秀云:")
    assert after(out, "not much").startswith("Sent to 张强.")
