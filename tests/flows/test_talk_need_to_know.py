"""Who reads which talk card (issue 10, item 9; docs/flows/card.md), as each person types ``/talks``.

A helper teacher notes a safety concern ("外公喝酒后打她"); the class teacher and a caring-parent volunteer
(a villager who may know the family) write ordinary cards. Each reader gets only what is theirs to know.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.enums import RelationKind, Role
from bot.services import family_news_facts
from tests.support.chat import Chat
from tests.support.school import ACCOUNTS, SchoolBuilder, small_school

CONCERN = "孩子说外公喝酒后打她，手臂有淤青"
VOLUNTEER = "4001"
SAFEGUARDING = "4002"


@pytest.fixture
def school(uow_factory, clock):
    ids = small_school(uow_factory, clock.now())
    with uow_factory() as uow:  # 沈亮, a caring-parent volunteer paired with 张三 (A)
        b = SchoolBuilder.__new__(SchoolBuilder)
        b.s, b._keys, b.school_id = uow.session, 100, ids.school_id
        shen = b.person("沈亮", Role.CARING_PARENT, key="volunteer:shen")
        b.relate(ids.zhang_a, RelationKind.CARING_PARENT, shen)
        b.account(shen, VOLUNTEER, bound_at=clock.now())
        guo = b.person("郭老师", Role.SAFEGUARDING_LEAD, key="staff:guo")  # not an admin, no class, no pairing
        b.account(guo, SAFEGUARDING, bound_at=clock.now())
        uow.commit()
    return ids


def _talk(chat: Chat, *, mood: str, safety: str, note: str, namesakes: bool = False) -> None:
    chat.send("谈心 张三")
    if namesakes:
        chat.press(next(p for label, p in chat.choices if label.startswith("张三（三年级1班")))
    for label in (mood, "一般", "一般", safety):
        chat.tap(label)
    chat.send(note)
    chat.tap("不需要跟进")
    chat.tap("保存")
    assert "已保存：与张三的谈心记录。" in chat.text


def test_a_safety_concern_stays_with_its_author_and_the_leaders(flows, school, clock, uow_factory):
    chen = Chat(flows, ACCOUNTS["chen"])  # the helper teacher: hears it, notes it
    _talk(chen, mood="较差", safety="有", note=CONCERN, namesakes=True)
    chen.tap("暂不报告")
    clock.advance(timedelta(minutes=5))
    li = Chat(flows, ACCOUNTS["li"])
    _talk(li, mood="好", safety="没有", note="聊了学习")
    clock.advance(timedelta(minutes=5))
    shen = Chat(flows, VOLUNTEER)
    _talk(shen, mood="好", safety="没有", note="一起做了作业")

    shen.send("/talks 张三")  # the volunteer: that the helper talked, never what was said
    seen = shen.text
    assert "与张三的谈心记录（共3次，显示最近3次）：" in seen
    assert "每周谈心（陈老师）：内容仅限学校负责人查看" in seen
    assert "淤青" not in seen and "较差" not in seen and "安全隐患" not in seen
    assert "每月谈心（王老师）" not in seen and "每月谈心（李老师）：情绪好，学习一般，生活一般" in seen
    assert "聊了学习" not in seen and "（记录内容仅记录人、班主任和学校负责人可见）" in seen
    assert "“一起做了作业”" in seen  # their own card, whole

    li.send("/talks 张三")  # the class teacher: every ordinary note, not the concern's
    assert "每周谈心（陈老师）：内容仅限学校负责人查看" in li.text and "淤青" not in li.text
    assert "“聊了学习”" in li.text and "“一起做了作业”" in li.text

    chen.send("/talks 张三")
    chen.press(next(p for label, p in chen.choices if label.startswith("张三（三年级1班")))
    assert f"“{CONCERN}”" in chen.text and "有安全隐患" in chen.text  # the author keeps their card
    assert "一起做了作业" not in chen.text and "聊了学习" not in chen.text  # others' notes: not a volunteer's

    admin = Chat(flows, ACCOUNTS["admin"])
    admin.send("/talks 张三")
    admin.press(next(p for label, p in admin.choices if label.startswith("张三（三年级1班")))
    assert f"“{CONCERN}”" in admin.text and "“聊了学习”" in admin.text and "“一起做了作业”" in admin.text

    lead = Chat(flows, SAFEGUARDING)  # the safeguarding lead, not an admin: the concern is hers to act on
    lead.send("/talks 张三")
    lead.press(next(p for label, p in lead.choices if label.startswith("张三（三年级1班")))
    assert f"“{CONCERN}”" in lead.text and "有安全隐患" in lead.text and "“聊了学习”" in lead.text
    lead.send("/tasks")
    assert "• 张三：谈心发现安全隐患" in lead.text  # the concern's follow-up is her task…
    lead.send("/card 张三")  # …so she reads the card's contact part to act on it (fix9b), not the whole card
    assert lead.text == "张三的档案（三年级1班）：\n• 班主任：李老师\n• 委托监护人：张爷爷", lead.text


def test_the_familys_monthly_news_leaves_out_a_card_with_a_concern(flows, school, uow_factory):
    """The class teacher's monthly card noted a concern at home: its ratings are not the family's news."""
    li = Chat(flows, ACCOUNTS["li"])
    _talk(li, mood="较差", safety="有", note=CONCERN)
    with uow_factory() as uow:
        facts = family_news_facts.compose_many(uow, school_ids=[school.school_id], child_ids=[school.zhang_a],
                                               period="2026-11", tz="Asia/Shanghai")
    assert facts[school.zhang_a]["ratings"] == {} and facts[school.zhang_a]["talks"] == 1


def test_the_volunteer_reads_the_same_in_english(flows, school, uow_factory):
    from bot.store.models import Person

    chen = Chat(flows, ACCOUNTS["chen"])
    _talk(chen, mood="较差", safety="有", note=CONCERN, namesakes=True)
    with uow_factory() as uow:
        shen = next(p for p in uow.session.query(Person).filter(Person.name == "沈亮"))
        shen.locale = "en"
        uow.commit()
    volunteer = Chat(flows, VOLUNTEER)
    volunteer.send("/talks 张三")
    assert "weekly talk by 陈老师: content for the school's leaders only" in volunteer.text
    assert "淤青" not in volunteer.text
