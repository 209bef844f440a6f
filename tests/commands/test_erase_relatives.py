"""``guanai erase`` on the sample roster, as the admin runs it: relatives only there for the child go too,
and the next ``guanai import`` of the same roster does not bring the child back (issue 10, item 4).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

import bot.bootstrap
from bot.bootstrap import build
from bot.cli import main
from bot.config import Settings
from bot.domain.clock import ManualClock
from bot.store import crypto
from bot.store.models import ChatAccount, Child, ChildRelation, Conversation, ErasedChild, Invite, Person
from tests.support.cli import invite_code

NOW = datetime(2026, 12, 15, 2, 0, tzinfo=UTC)
ZHANG_QIANG = "+8613800136956"  # 杨秀云's grandfather and entrusted guardian (sample roster, row 2)
LI_XUE = "+8615000131019"  # guardian of the siblings 刘婷婷 and 刘帅


@pytest.fixture
def admin(database_url: str, monkeypatch: pytest.MonkeyPatch, sample_roster: Path):
    """The admin's shell: GUANAI_DATABASE_URL set, the sample roster imported, the clock fixed."""
    clock = ManualClock(NOW)
    monkeypatch.setenv("GUANAI_DATABASE_URL", database_url)
    monkeypatch.setenv("GUANAI_DEFAULT_LOCALE", "zh_Hans")
    monkeypatch.setattr(bot.bootstrap, "SystemClock", lambda: clock)
    assert main(["import", str(sample_roster)]) == 0
    c = build(Settings(database_url=database_url), clock=clock)
    yield c
    c.engine.dispose()


def _person(c, phone: str) -> Person | None:
    with c.uow() as uow:
        p = uow.session.scalar(select(Person).where(Person.phone_index == crypto.phone_index(phone)))
        if p is not None:
            uow.session.expunge(p)
        return p


def _bind(c, person_id: int, account: str) -> None:
    """The person's chat, bound, with a question waiting in it."""
    with c.uow() as uow:
        uow.session.add(ChatAccount(person_id=person_id, channel="telegram", account_id=account, bound_at=NOW))
        uow.session.add(Conversation(channel="telegram", account_id=account, flow="checkin", state="ask",
                                     data={"note": "孙女这周咳嗽"}, updated_at=NOW))
        uow.commit()


def test_erasing_yang_xiuyun_erases_the_relatives_there_only_for_her_and_keeps_shared_ones(admin, capsys) -> None:
    c = admin
    grandpa = _person(c, ZHANG_QIANG)
    assert grandpa is not None and grandpa.name == "张强"
    _bind(c, grandpa.id, "chat-grandpa")
    assert main(["invite", "13800136956"]) == 0  # a second invite, not yet redeemed
    invite_code(capsys.readouterr().out)
    with c.uow() as uow:
        family = set(uow.session.scalars(select(ChildRelation.person_id).join(
            Child, Child.id == ChildRelation.child_id).where(
            Child.name == "杨秀云", ChildRelation.kind.in_(("entrusted_guardian", "father", "mother")))))
        helpers = set(uow.session.scalars(select(ChildRelation.person_id).join(
            Child, Child.id == ChildRelation.child_id).where(
            Child.name == "杨秀云", ChildRelation.kind.in_(("helper_teacher", "caring_parent")))))
    assert grandpa.id in family and len(family) == 3  # grandfather 张强, father 杨杨, mother 谢冬梅

    assert main(["erase", "杨秀云", "--yes"]) == 0
    out = capsys.readouterr().out
    assert "已删除：儿童 #" in out
    assert "随档案一并删除的亲属（未与其他儿童关联、无教职工身份）：3 名。" in out

    with c.uow() as uow:
        s = uow.session
        for person in s.scalars(select(Person).where(Person.id.in_(family))):
            assert person.name == "已删除"
            assert (person.phone, person.phone_index, person.age, person.health, person.work_place) == \
                (None, None, None, None, None)
            assert person.roles == [] and person.natural_key == f"erased:person:{person.id}"
        for person in s.scalars(select(Person).where(Person.id.in_(helpers))):  # staff: untouched
            assert person.name != "已删除" and person.roles
        assert s.scalar(select(func.count()).select_from(ChatAccount).where(ChatAccount.person_id == grandpa.id)) == 0
        assert s.scalar(select(Conversation).where(Conversation.account_id == "chat-grandpa")) is None
        assert s.scalar(select(func.count()).select_from(Invite).where(
            Invite.person_id == grandpa.id, Invite.used_at.is_(None), Invite.expires_at > NOW)) == 0
    assert _person(c, ZHANG_QIANG) is None  # nobody is found by his phone any more
    assert main(["invite", "13800136956"]) == 1

    # 刘婷婷's guardian 李雪 is also 刘帅's: she stays, with her phone and her binding.
    li_xue = _person(c, LI_XUE)
    assert li_xue is not None
    _bind(c, li_xue.id, "chat-lixue")
    assert main(["erase", "刘婷婷", "--yes"]) == 0
    assert "：0 名。" in capsys.readouterr().out
    kept = _person(c, LI_XUE)
    assert kept is not None and kept.name == "李雪"
    with c.uow() as uow:
        assert uow.session.scalar(select(ChatAccount.person_id).where(ChatAccount.account_id == "chat-lixue")) \
            == li_xue.id


def test_the_next_import_skips_the_erased_child_unless_asked_to_restore(admin, sample_roster, capsys) -> None:
    c = admin
    with c.uow() as uow:
        children = uow.session.scalar(select(func.count()).select_from(Child))
    assert main(["erase", "杨秀云", "--yes"]) == 0
    capsys.readouterr()
    with c.uow() as uow:  # only a digest is kept: neither the number nor the name
        (entry,) = uow.session.scalars(select(ErasedChild)).all()
        assert entry.kind == "student_no" and len(entry.digest) == 32

    c.clock.advance(timedelta(days=3))
    assert main(["import", str(sample_roster)]) == 0
    out = capsys.readouterr().out
    assert "1 名儿童已于 2026-12-15 应删除请求删除，未重新导入；如确需恢复，请使用 --restore-erased 重新导入。" in out
    assert "留守儿童：新增 0" in out
    with c.uow() as uow:
        s = uow.session
        assert s.scalar(select(func.count()).select_from(Child)) == children  # the erased row, no new one
        assert s.scalar(select(Child.id).where(Child.name == "杨秀云")) is None
    assert _person(c, ZHANG_QIANG) is None

    assert main(["import", str(sample_roster), "--restore-erased"]) == 0
    out = capsys.readouterr().out
    assert "留守儿童：新增 1" in out and "--restore-erased" not in out
    with c.uow() as uow:
        assert uow.session.scalar(select(Child.id).where(Child.name == "杨秀云")) is not None
        assert uow.session.scalar(select(func.count()).select_from(ErasedChild)) == 0
    assert _person(c, ZHANG_QIANG) is not None
    assert main(["import", str(sample_roster)]) == 0  # restored: an ordinary child again
    assert "留守儿童：新增 0" in capsys.readouterr().out


def test_an_import_with_rejected_rows_writes_nothing_and_still_names_the_erased_child(
    admin, sample_roster, tmp_path, capsys
) -> None:
    """All or nothing: a bad row stops the restore as it stops everything else."""
    import openpyxl

    assert main(["erase", "杨秀云", "--yes"]) == 0
    wb = openpyxl.load_workbook(sample_roster)
    ws = wb["留守儿童花名册"]
    col = {cell.value: cell.column for cell in ws[1]}
    ws.cell(3, col["班级"]).value = "九年级(9)班"  # no such class
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    capsys.readouterr()
    assert main(["import", str(bad), "--restore-erased"]) == 1
    with admin.uow() as uow:
        assert uow.session.scalar(select(Child.id).where(Child.name == "杨秀云")) is None
        assert uow.session.scalar(select(func.count()).select_from(ErasedChild)) == 1
