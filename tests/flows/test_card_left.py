"""/card and /talks of a child who has left the school (issue 9, exp9): the leaders still read them, marked.

In the small school two children are called 张三; the one of 三年级2班 has left (``active`` off, ``left_at``
20 November, as ``guanai import --apply-removals`` leaves them). The admin and a safeguarding lead still read
her records, marked at the top; her former class teacher and her helper teacher no longer find her.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.enums import Role, TalkKind
from bot.store.models import Child, Person, PersonRole, TalkRecord
from tests.support.chat import Chat
from tests.support.school import ACCOUNTS, small_school

LEFT_AT = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # 10:00 at the school


@pytest.fixture
def school(uow_factory, clock):
    ids = small_school(uow_factory, clock.now())
    with uow_factory() as uow:
        uow.session.add(TalkRecord(child_id=ids.zhang_b, author_id=ids.wang, kind=TalkKind.CLASS_TEACHER_MONTHLY.value,
                                   period="2026-11", talked_at=datetime(2026, 11, 10, 8, 0, tzinfo=UTC), mood="good",
                                   study="good", daily_life="good", note="想妈妈了"))
        child = uow.session.get(Child, ids.zhang_b)
        child.active, child.left_at = False, LEFT_AT
        uow.commit()
    return ids


def _pick(chat: Chat, prefix: str) -> None:
    chat.press(next(payload for label, payload in chat.choices if label.startswith(prefix)))


def test_the_admin_reads_the_left_childs_card_marked_and_read_only(flows, school):
    admin = Chat(flows, ACCOUNTS["admin"])
    admin.send("/card 张三")
    assert "有2个孩子叫张三，您指的是哪一个？" in admin.text  # the one at school and the one who left
    assert [label for label, _ in admin.choices] == ["张三（三年级1班）", "张三（三年级2班，2026-11-20离校）"]
    _pick(admin, "张三（三年级2班")
    assert admin.text.startswith("已离校（2026-11-20）\n张三的档案（三年级2班）：\n")
    assert admin.choices == []  # no corrections: the card is history now
    admin.send("/card 张三")
    _pick(admin, "张三（三年级1班")
    assert admin.text.startswith("张三的档案（三年级1班）：") and "已离校" not in admin.text
    admin.send("/talks 张三")
    _pick(admin, "张三（三年级2班")
    assert admin.text.startswith("已离校（2026-11-20）\n与张三的谈心记录（共1次，显示最近1次）：\n")
    assert "“想妈妈了”" in admin.text


def test_a_safeguarding_lead_reads_the_talks_but_not_the_card(flows, school, uow_factory):
    with uow_factory() as uow:  # 李老师 (三年级1班) is also the school's safeguarding lead
        uow.session.add(PersonRole(person_id=school.li, role=Role.SAFEGUARDING_LEAD.value))
        uow.commit()
    li = Chat(flows, ACCOUNTS["li"])
    li.send("/talks 张三")
    _pick(li, "张三（三年级2班")
    assert li.text.startswith("已离校（2026-11-20）\n与张三的谈心记录（共1次，显示最近1次）：")
    li.send("/card 张三")  # her own class's 张三 only: the cards of the school are the admins'
    assert li.text.startswith("张三的档案（三年级1班）：")


def test_teachers_no_longer_find_a_child_who_left(flows, school):
    wang = Chat(flows, ACCOUNTS["wang"])  # her class teacher until she left
    wang.send("/card 张三")
    assert wang.text == "没有找到您可以查看档案的、名叫张三的孩子。"
    wang.send("/talks 张三")
    assert wang.text == "没有找到您可以查看档案的、名叫张三的孩子。"
    chen = Chat(flows, ACCOUNTS["chen"])  # helper teacher of both namesakes: now only the one at school
    chen.send("/talks 张三")
    assert "哪一个" not in chen.text and "已离校" not in chen.text


def test_the_mark_is_in_the_readers_language(flows, school, uow_factory):
    with uow_factory() as uow:
        uow.session.get(Person, school.admin).locale = "en"
        uow.commit()
    admin = Chat(flows, ACCOUNTS["admin"])
    admin.send("/talks 张三")
    assert [label for label, _ in admin.choices][-1] == "张三 (三年级2班, left school 2026-11-20)"
    _pick(admin, "张三 (三年级2班")
    assert admin.text.startswith("Left school (2026-11-20)\nTalks with 张三 (1 of 1, newest first):\n")
