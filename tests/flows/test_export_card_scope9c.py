"""Exports of per-child records follow the card scope (issue 9, found by testers).

A safeguarding lead (儿童保护负责人) with no class was refused every child's card by ``/card`` yet exported the
花名册, the talk cards and the pairing list of her whole school. Now she exports the children whose whole card
she sees (her class, when she is a class teacher; none otherwise), and the incident timelines she is in (every
safeguarding report, and the incidents she was alerted about), not the school's other incidents.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest
from sqlalchemy import select

from bot.domain.enums import Role
from bot.store.models import AuditEntry, Incident, IncidentStep, Person, PersonRole
from tests.support.chat import Chat
from tests.support.figures_world import county
from tests.support.school import add_account


@pytest.fixture
def world(uow_factory):
    return county(uow_factory)


def _lead(uow_factory, world, *, class_teacher: bool = False) -> str:
    """吴老师, the school's safeguarding lead; with ``class_teacher`` 李老师 (二年级（1）班) is made the lead."""
    with uow_factory() as uow:
        if class_teacher:
            li = uow.session.get(Person, world.li)
            li.roles = [*li.roles, PersonRole(role=Role.SAFEGUARDING_LEAD.value)]
            uow.commit()
            return f"tg-{world.li}"
        lead = Person(school_id=world.qingxi, name="吴老师", natural_key="t:lead:吴老师")
        lead.roles = [PersonRole(role=Role.SAFEGUARDING_LEAD.value)]
        uow.session.add(lead)
        uow.session.flush()
        add_account(uow.session, lead.id, "tg-lead")
        # A suspected-abuse report about 小二 (its notices go to the leaders and safeguarding leads).
        at = datetime(2026, 11, 21, 2, 0, tzinfo=UTC)
        report = Incident(child_id=world.xiaoer, reporter_id=world.wang, kind="suspected_abuse", severity="emergency",
                          description="身上有伤", reported_at=at, policy={})
        uow.session.add(report)
        uow.session.flush()
        uow.session.add(IncidentStep(incident_id=report.id, step_no=1, person_id=world.leader, send_by=at,
                                     due_by=at + timedelta(minutes=30), sent_at=at))
        uow.commit()
        return "tg-lead"


def _file(chat: Chat) -> openpyxl.Workbook:
    [prompt] = [p for p in chat.reply.prompts if p.attachment is not None]
    return openpyxl.load_workbook(io.BytesIO(prompt.attachment.data))


@pytest.mark.parametrize("word", ["花名册", "谈心", "结对", "资助"])
def test_a_safeguarding_lead_without_a_class_exports_no_childs_records(flows, world, uow_factory, word):
    chat = Chat(flows, _lead(uow_factory, world))
    chat.send("/card 小二")
    assert "Q11" not in chat.text  # /card refuses her every child
    chat.send(f"/export {word}")
    assert "逐一列出儿童的信息，只有学校领导和管理员（全校儿童）或班主任（本班" in chat.text
    assert chat.text.split("您可以导出：")[1].startswith("事件、统计表、统计")
    assert not any(p.attachment for p in chat.reply.prompts)
    assert not {"花名册", "谈心", "结对", "资助"} & {label.split(" ")[0] for label, _ in chat.choices}


def test_her_incident_timelines_are_the_safeguarding_reports_she_is_in(flows, world, uow_factory):
    chat = Chat(flows, _lead(uow_factory, world))
    chat.send("/export 事件")
    rows = list(_file(chat).active.iter_rows(min_row=2, values_only=True))
    assert {r[1] for r in rows} == {"小二"}  # the abuse report; 小一's fall (chain: family, bureau) is not hers
    with uow_factory() as uow:  # the audit log names the child the file covers, no other
        children = set(uow.session.scalars(select(AuditEntry.child_id).where(AuditEntry.action == "export")))
    assert children == {world.xiaoer}
    principal = Chat(flows, f"tg-{world.leader}")
    principal.send("/export 事件")
    assert {r[1] for r in _file(principal).active.iter_rows(min_row=2, values_only=True)} == {"小一", "小二"}


def test_a_safeguarding_lead_who_is_a_class_teacher_exports_her_class(flows, world, uow_factory):
    chat = Chat(flows, _lead(uow_factory, world, class_teacher=True))
    chat.send("/export 花名册")
    book = _file(chat)
    assert [r[1] for r in book["留守儿童花名册"].iter_rows(min_row=2, values_only=True)] == ["大一", "大二"]
    assert [r[1] for r in book["班级"].iter_rows(min_row=2, values_only=True)] == ["二年级（1）班"]
    chat.send("/export 结对")
    assert [r[1] for r in _file(chat).active.iter_rows(min_row=2, values_only=True)] == ["大一", "大二"]
    chat.send("/export 谈心")  # nobody talked with her class's children yet: no file of empty cards
    assert chat.text.startswith("还没有")
    assert not any(p.attachment for p in chat.reply.prompts)


@pytest.mark.parametrize("who", ["wang", "grandma", "town"])
def test_a_teacher_of_another_class_a_guardian_and_an_official_export_no_roster(flows, world, who):
    chat = Chat(flows, f"tg-{getattr(world, who)}")
    chat.send("/export 花名册")
    assert not any(p.attachment for p in chat.reply.prompts)
    assert "大一" not in chat.text and "小一" not in chat.text


def test_her_help_names_what_she_may_export(flows, world, uow_factory):
    chat = Chat(flows, _lead(uow_factory, world))
    chat.send("/help")
    assert "/export（导出）— 以表格导出您参与处理的突发事件、统计表、统计数据，以及您班级的儿童记录" in chat.text
    assert "花名册" not in chat.text
