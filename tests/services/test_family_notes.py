"""A check-in note filed under the child it names (bot.services.family_notes): class teacher now, digest later."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.domain.enums import RelationKind
from bot.services import family_digest, family_notes
from bot.store.models import ChildRelation, FamilyMessage, OutboxMessage
from tests.support.incident_world import make_world

NOW = datetime(2026, 12, 4, 10, 5, tzinfo=UTC)


def test_a_note_about_her_other_grandchild_goes_to_that_childs_class_teacher_and_digest(uow_factory):
    world = make_world(uow_factory, NOW)
    luo_ting = world.extra[3]  # 罗婷, 二年级（1）班: class teacher 袁老师, no helper teacher
    with uow_factory() as uow:
        uow.session.add(ChildRelation(child_id=luo_ting, kind=RelationKind.ENTRUSTED_GUARDIAN.value,
                                      person_id=world.zhangqiang, relationship_label="外祖父"))
        uow.commit()
    with uow_factory() as uow:
        filed = family_notes.file_for_child(uow, guardian_id=world.zhangqiang, child_id=luo_ting,
                                            note="婷婷发烧了", now=NOW, channel="telegram")
        uow.commit()
    assert filed is not None and filed.child == "罗婷"
    assert filed.passed is not None and (filed.passed.reader, filed.passed.reader_role) == ("袁老师", "class_teacher")
    assert filed.digest_reader is None  # the class teacher reads the digest too: not named twice
    with uow_factory() as uow:
        rows = uow.session.scalars(select(FamilyMessage).order_by(FamilyMessage.id)).all()
        assert [(r.kind, r.child_id, r.to_person_id, r.checkin_id) for r in rows] == [
            ("checkin_note", luo_ting, world.yuan, None), ("message", luo_ting, world.yuan, None)]
        [queued] = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.person_id == world.yuan)).all()
        assert queued.priority == "bulk"  # an ordinary message: quiet hours wait
        lines = family_digest.digest_notes(uow, school_id=world.school, now=NOW)
    [(_line, params)] = lines[world.yuan]
    assert "婷婷发烧了" in str(params["note"]) and "罗婷" in str(params["child"])


def test_another_familys_child_is_never_filed_nor_told(uow_factory):
    world = make_world(uow_factory, NOW)
    with uow_factory() as uow:  # 杨婷 is 杨兵's niece, not 张强's grandchild
        assert family_notes.file_for_child(uow, guardian_id=world.zhangqiang, child_id=world.ting,
                                           note="婷婷发烧了", now=NOW, channel="telegram") is None
        uow.commit()
    with uow_factory() as uow:
        assert uow.session.scalars(select(FamilyMessage)).all() == []
