"""``/export`` (导出) in chat: a principal gets the files, an official aggregates only, others nothing."""

from __future__ import annotations

import io
import os
import stat

import openpyxl
import pytest
from sqlalchemy import select

from bot.domain.enums import Channel
from bot.handlers.console import ConsoleSession
from bot.store.models import AuditEntry, SchoolClass
from tests.support.chat import Chat
from tests.support.figures_world import county
from tests.support.school import add_account


@pytest.fixture
def world(uow_factory):
    return county(uow_factory)


def _file(chat: Chat) -> openpyxl.Workbook:
    [prompt] = [p for p in chat.reply.prompts if p.attachment is not None]
    assert prompt.attachment.filename.endswith(".xlsx")
    return openpyxl.load_workbook(io.BytesIO(prompt.attachment.data))


def test_the_principal_picks_an_export_and_gets_the_file(flows, world, uow_factory):
    chat = Chat(flows, f"tg-{world.leader}")
    chat.send("导出")
    assert "要导出什么？请回复编号（或发送 /export 加对应词语；" in chat.text
    assert [label for label, _ in chat.choices][0] == "花名册 — 按登记表格式导出的花名册（可再次导入）"
    chat.send("1")  # numbered like every other choice
    assert chat.text == "这是“清溪小学-花名册-2026-11-30.xlsx”。"
    book = _file(chat)
    assert book.sheetnames == ["留守儿童花名册", "教职工", "班级", "学校"]
    names = [r[1] for r in book["留守儿童花名册"].iter_rows(min_row=2, values_only=True)]
    assert names == ["小一", "小二", "小三", "小四", "小五", "小六", "大一", "大二"]  # 大三 left the school
    chat.send("/export 统计 学期")
    assert chat.text == "这是“清溪小学-统计数据-2026-09-01至2027-01-20-导出2026-11-30.xlsx”。"
    book = _file(chat)
    assert [w.title for w in book.worksheets] == ["统计数据 2026-09-01~2027-01-20", "各教师谈心"]
    chat.send("/export 统计")  # this month's file is named apart from the semester's
    assert chat.text == "这是“清溪小学-统计数据-2026年11月-导出2026-11-30.xlsx”。"
    # Both exports are in the audit log (issue 10, item 3): the roster once per child, the figures once.
    with uow_factory() as uow:
        rows = uow.session.execute(select(AuditEntry.actor_id, AuditEntry.child_id, AuditEntry.channel,
                                          AuditEntry.detail)).all()
    assert {(a, ch, d["kind"]) for a, _c, ch, d in rows} == {(world.leader, "telegram", "roster"),
                                                             (world.leader, "telegram", "figures")}
    assert len([r for r in rows if r[3]["kind"] == "roster"]) == len(names)  # the school's active children
    assert [r[1] for r in rows if r[3]["kind"] == "figures"] == [None, None]


def test_the_registration_table_lists_its_problems_instead_of_a_file(flows, world, uow_factory):
    with uow_factory() as uow:
        for klass in uow.session.query(SchoolClass).filter(SchoolClass.school_id == world.qingxi):
            klass.left_behind_count = 1
        uow.commit()
    chat = Chat(flows, f"tg-{world.leader}")
    chat.send("/export 统计表")
    assert chat.text.startswith("统计表有")
    assert "一年级（1）班：班级表填写留守儿童1人，档案中有6人" in chat.text
    assert all(p.attachment is None for p in chat.reply.prompts)


def test_a_town_official_exports_aggregates_only(flows, world):
    chat = Chat(flows, f"tg-{world.town}")
    chat.send("/export 花名册")  # not theirs: said so, with the menu of what they may export
    assert chat.text.startswith("只有学校领导和管理员可以导出花名册，因为其中有每个孩子的姓名和信息。")
    labels = [label for label, _ in chat.choices]
    assert [label.split(" — ")[0] for label in labels] == ["统计表", "统计"]
    chat.send("/export 统计")
    rows = list(_file(chat).worksheets[0].iter_rows(values_only=True))
    assert [r[0] for r in rows[1:] if r[1]] == ["河口小学", "清溪小学", "清溪镇"]  # below them: the notes on <5
    notes = [r[0] for r in rows if r[0] and not r[1]]  # below the table: the <5 rule, and the * where one shows
    assert any(n.startswith("为保护儿童隐私，不到5（1至4）的数字显示为<5") for n in notes)
    assert ("*：为防止通过合计推算出旁边不足5的数字，一并隐藏。" in notes) == any("*" in str(r[1:]) for r in rows[1:])
    assert "王老师" not in str(rows)


def test_help_offers_an_official_only_what_they_may_export(flows, world):
    """The official's /help once advertised the roster, talk cards and incidents (a trial found it)."""
    chat = Chat(flows, f"tg-{world.town}")
    chat.send("/help")
    assert "/export（导出）— 以表格导出各校的统计表或统计数据" in chat.text and "花名册" not in chat.text
    principal = Chat(flows, f"tg-{world.leader}")
    principal.send("/help")
    assert "以表格导出花名册、谈心记录卡、突发事件、结对名单、资助台账或统计数据" in principal.text


@pytest.mark.parametrize("who", ["wang", "chen", "grandma"])
def test_teachers_and_guardians_cannot_export(flows, world, who):
    chat = Chat(flows, f"tg-{getattr(world, who)}")
    chat.send("/export 花名册")
    assert chat.text == "导出只提供给学校领导和管理员；教育主管部门和镇政府可以导出统计数据和留守儿童统计表。"


def test_on_wechat_the_principal_is_sent_to_the_dashboard(flows, world, uow_factory):
    from tests.support.school import add_account

    with uow_factory() as uow:
        add_account(uow.session, world.leader, "wx-leader", channel=Channel.WECHAT.value)
        uow.commit()
    chat = Chat(flows, "wx-leader", channel=Channel.WECHAT.value)
    chat.send("/export 结对")
    assert "微信无法接收我发送的文件" in chat.text and "结对名单" in chat.text


def test_on_the_console_the_file_goes_to_a_folder_only_its_owner_may_open(flows, world, uow_factory, tmp_path,
                                                                           monkeypatch):
    """``guanai-files/`` was made 0755 by an earlier version: the next export narrows it to 0700, the file 0600."""
    with uow_factory() as uow:
        add_account(uow.session, world.leader, "principal", channel=Channel.CONSOLE.value)
        uow.commit()
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    ConsoleSession(flows, "principal", out).run(["/export 花名册\n"])
    saved = tmp_path / "guanai-files" / "清溪小学-花名册-2026-11-30.xlsx"
    assert f"[{saved.relative_to(tmp_path)}]" in out.getvalue()
    assert stat.S_IMODE(saved.parent.stat().st_mode) == 0o700 and stat.S_IMODE(saved.stat().st_mode) == 0o600

    os.chmod(saved.parent, 0o755)  # noqa: S103 -- as the earlier version left it
    ConsoleSession(flows, "principal", out).run(["/export 统计\n"])
    assert stat.S_IMODE(saved.parent.stat().st_mode) == 0o700
    [figures] = saved.parent.glob("*统计数据*.xlsx")
    assert stat.S_IMODE(figures.stat().st_mode) == 0o600


def test_a_safeguarding_lead_asking_for_the_aid_ledger_is_told_what_she_may_export(flows, world, uow_factory):
    from bot.domain.enums import Role
    from bot.store.models import Person, PersonRole

    with uow_factory() as uow:
        lead = Person(school_id=world.qingxi, name="吴老师", natural_key="t:lead:吴老师")
        lead.roles = [PersonRole(role=Role.SAFEGUARDING_LEAD.value)]
        uow.session.add(lead)
        uow.session.flush()
        add_account(uow.session, lead.id, "tg-lead")
        uow.commit()
    chat = Chat(flows, "tg-lead")
    chat.send("/export 资助")
    # The ledger follows the card scope (fix9c): she has no class, so no child's; what she may export is named.
    assert chat.text.startswith("“资助台账”逐一列出儿童的信息，只有学校领导和管理员（全校儿童）或班主任（本班，"
                                "即 /card 能看到完整档案的儿童）可以导出。您可以导出：事件、统计表、统计。")
    assert not any(p.attachment for p in chat.reply.prompts)
    assert "资助" not in " ".join(label for label, _ in chat.choices)
