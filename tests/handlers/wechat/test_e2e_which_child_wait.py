"""A grandfather asked which child, silent for 30 minutes: his words reach both class teachers (fix6w).

Over WeChat. 张强 looks after 杨秀云 (一年级（1）班, 王老师) and, here, a child of 二年级（1）班 (袁老师).
On Monday morning he writes ``孩子发烧两天了`` on the Official Account; the children have different
class teachers, so he is asked which child, and he does not answer. Before, his words waited in the
chat until he wrote again. Now the scheduler's timed step, 30 minutes after the question on the
injected clock, sends them to both teachers and tells him; at 29 minutes nothing has gone.
"""

from __future__ import annotations

from datetime import timedelta

from bot.domain.enums import RelationKind
from bot.store.models import ChildRelation
from tests.handlers.wechat.test_e2e_incidents import _school

FEVER = "孩子发烧两天了"


async def test_his_words_go_to_both_class_teachers_when_he_does_not_say_which_child(uow_factory, clock):
    school = _school(uow_factory, clock)
    world = school.world
    with uow_factory() as uow:
        uow.session.add(ChildRelation(child_id=world.extra[0], kind=RelationKind.ENTRUSTED_GUARDIAN.value,
                                      person_id=world.zhangqiang, relationship_label="外祖父"))
        uow.commit()
    grandfather = school.writer("zhangqiang")
    async with school.client:
        asked = await grandfather(FEVER)
        assert asked.startswith("您的留言是关于哪个孩子的？") and "杨秀云" in asked
        clock.advance(timedelta(minutes=29))
        assert school.flows.pass_on_unanswered() == 0
        await school.tick()
        assert school.received("wang") == [] and school.received("yuan") == []
        clock.advance(timedelta(minutes=1))
        assert school.flows.pass_on_unanswered() > 0
        await school.tick()
        [to_wang] = school.received("wang")
        [to_yuan] = school.received("yuan")
        assert f"“{FEVER}”" in to_wang and "杨秀云" in to_wang and "1. 回复" in to_wang
        assert f"“{FEVER}”" in to_yuan
        told = "\n".join(school.received("zhangqiang"))
        assert f"您还没说“{FEVER}”说的是哪个孩子，我已把您的话原样转给老师。" in told
        assert "王老师" in told and "袁老师" in told
        assert school.flows.pass_on_unanswered() == 0  # once
