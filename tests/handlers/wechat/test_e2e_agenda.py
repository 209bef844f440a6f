"""One question at a time per chat (issue 6, item 1), over signed WeChat / WeCom XML.

Each test is a case listed in issue 6, typed as the person would type it, with
other questions waiting in the same chat: a typed number answers only the
question most recently shown; what waits is asked again afterwards, its
context named.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.domain.enums import RelationKind
from bot.services import checkins
from bot.store.models import Checkin, ChildRelation, Incident, IncidentStep, TalkRecord
from tests.handlers.wechat.test_e2e_incidents import SETTINGS, _school

FRIDAY_1800 = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)  # the weekly check-in, Asia/Shanghai


def plan_friday_checkins(uow_factory, clock) -> int:
    """The clock to Friday 18:00 school time and the week's check-ins planned and committed: how many."""
    clock.advance(FRIDAY_1800 - clock.now())
    with uow_factory() as uow:
        made = checkins.plan_checkins(uow, now=clock.now(), settings=SETTINGS)
        uow.commit()
    return made


def _incidents(uow_factory) -> list[Incident]:
    with uow_factory() as uow:
        rows = list(uow.session.scalars(select(Incident).order_by(Incident.id)))
        uow.session.expunge_all()
        return rows


def _checkins(uow_factory, guardian: int) -> dict[int, Checkin]:
    """The guardian's check-ins by child."""
    with uow_factory() as uow:
        rows = {c.child_id: c for c in uow.session.scalars(select(Checkin).where(Checkin.guardian_id == guardian))}
        uow.session.expunge_all()
        return rows


async def _report(wang, child: str) -> str:
    await wang(f"报告 {child}")
    await wang("1")  # injury
    await wang("1")  # emergency
    await wang("课间在操场摔倒，右臂肿痛。")
    return await wang("1")  # report now


async def test_a_teachers_1_for_injury_never_closes_the_incident_whose_close_offer_waits(uow_factory, clock):
    school = _school(uow_factory, clock)
    wang = school.writer("wang")
    async with school.client:
        reported = await _report(wang, "杨秀云")
        assert reported.startswith("已报告。") and "1. 结束事件" in reported
        await school.tick()  # the chain starts; nobody acknowledges yet
        kinds = await wang("报告 杨婷")
        assert "杨婷" in kinds and "1. 受伤  2. 生病" in kinds  # its own numbers, from 1
        severity = await wang("1")
        assert "杨婷的情况有多严重？" in severity and "1. 紧急  2. 一般" in severity
    first, *_ = _incidents(uow_factory)
    assert first.status == "open"


async def test_talk_while_an_incident_is_open_numbers_its_own_choices(uow_factory, clock):
    school = _school(uow_factory, clock)
    wang = school.writer("wang")
    async with school.client:
        await _report(wang, "杨秀云")
        mood = await wang("谈心 杨婷")
        assert "与杨婷谈心" in mood and "1. 好  2. 一般  3. 较差" in mood
        study = await wang("1")
        assert "杨婷的学习情况怎么样？" in study
        for answer in ("1", "1", "2", "跳过", "1"):
            await wang(answer)
        saved = await wang("1")
        assert "已保存" in saved
    [incident] = _incidents(uow_factory)
    assert incident.status == "open"
    with uow_factory() as uow:
        [talk] = uow.session.scalars(select(TalkRecord)).all()
        assert (talk.mood, talk.study) == ("good", "good")


async def test_a_grandfathers_1_to_an_alert_acknowledges_it_and_never_answers_the_checkin(uow_factory, clock):
    school = _school(uow_factory, clock)
    wang, grandpa = school.writer("wang"), school.writer("zhangqiang")
    assert plan_friday_checkins(uow_factory, clock) == 2
    async with school.client:
        await school.tick()
        [question] = school.received("zhangqiang")
        assert "杨秀云这周过得怎么样？" in question and "1. 很好  2. 一般  3. 需要帮助" in question
        clock.advance(timedelta(minutes=5))
        await _report(wang, "杨秀云")
        await school.tick()
        alert = school.received("zhangqiang")[-1]
        assert alert.startswith("突发事件：杨秀云") and "1. 确认收到" in alert
        answer = await grandpa("1")
        # The emergency about 杨秀云 is open: her check-in waits until the close, no "1. 很好" to tap (fix6o).
        assert "关于杨秀云的每周问题先等一等，等杨秀云的突发事件结束后我再问您。" in answer
        assert "1. 很好" not in answer
        again = await grandpa("1")
        assert again.startswith("这没有记录为杨秀云这周情况的回答")
    with uow_factory() as uow:
        step = uow.session.scalar(select(IncidentStep).where(IncidentStep.person_id == school.world.zhangqiang))
        assert step is not None and step.acknowledged_at is not None
    assert _checkins(uow_factory, school.world.zhangqiang)[school.world.xiuyun].answer is None


async def test_a_grandmother_with_two_grandchildren_writes_the_note_to_the_child_named(uow_factory, clock):
    school = _school(uow_factory, clock)
    world = school.world
    with uow_factory() as uow:
        uow.session.add(ChildRelation(child_id=world.ting, kind=RelationKind.ENTRUSTED_GUARDIAN.value,
                                      person_id=world.zhangqiang, relationship_label="外祖父"))
        uow.commit()
    grandma = school.writer("zhangqiang")
    plan_friday_checkins(uow_factory, clock)
    async with school.client:
        await school.tick()
        first, second = school.received("zhangqiang")
        assert "杨秀云这周过得怎么样？" in first and "1. 很好" in first
        # The second child's question waits: sent without numbers, asked again later.
        assert "杨婷这周过得怎么样？" in second and "1." not in second
        assert "请先回答上面的问题（杨秀云这周的情况）" in second
        follow_up = await grandma("2")
        assert "关于杨秀云，还有什么想告诉老师的吗？" in follow_up
        nxt = await grandma("跳过")
        assert "还在等您回答" in nxt and "杨婷这周过得怎么样？" in nxt and "1. 很好  2. 一般  3. 需要帮助" in nxt
        kind = await grandma("3")
        assert "杨婷需要哪方面的帮助？" in kind
        note = await grandma("1")
        assert "关于杨婷，还有什么想告诉老师的吗？" in note
        await grandma("婷婷发烧两天了，我腿脚不好")
    rows = _checkins(uow_factory, world.zhangqiang)
    assert rows[world.xiuyun].answer == "so_so" and not rows[world.xiuyun].follow_up_text
    assert rows[world.ting].answer == "needs_help" and "婷婷发烧两天了" in rows[world.ting].follow_up_text


async def test_another_command_in_the_middle_of_a_talk_asks_whether_to_drop_it(uow_factory, clock):
    school = _school(uow_factory, clock)
    wang = school.writer("wang")
    async with school.client:
        assert "现在没有进行中的操作，无需取消。" in await wang("/cancel")
        await wang("谈心 杨秀云")
        await wang("1")  # mood: good
        drop = await wang("谈心 杨婷")
        assert "您还没有完成与杨秀云的谈心记录，目前还没有保存。要放弃吗？" in drop
        assert "1. 放弃，继续新的操作  2. 回去接着做" in drop
        back = await wang("2")
        assert "继续记录与杨秀云的谈心：" in back and "杨秀云的学习情况怎么样？" in back and "1. 好" in back
        # An incident report never asks to drop work: the talk is set aside and comes back after the report.
        kinds = await wang("报告 杨婷")
        assert kinds.startswith("已暂存与杨秀云的谈心记录：报告完成后，我会从您停下的地方接着问。")
        assert "关于杨婷的突发事件：发生了什么？" in kinds and "1. 受伤" in kinds
        cancelled = await wang("/cancel")
        assert "已取消" in cancelled and "杨秀云的学习情况怎么样？" in cancelled
        # The talk back at its second question, an answer given: /cancel asks first (fix6al), 1 drops it.
        assert "您还没有完成与杨秀云的谈心记录，目前还没有保存。要放弃吗？" in await wang("/cancel")
        assert "已取消" in await wang("1")
    with uow_factory() as uow:
        assert uow.session.scalars(select(TalkRecord)).all() == []
