"""A grandfather's message about both his grandchildren reaches the teacher of the second one too (conv6u).

张爷爷 is the guardian of 张三 and 李四 (三年级1班, 李老师). ``孩子这两天不想吃饭`` goes to 李老师 once,
naming both. When 李四 moves to 三年级2班 (陈老师), 陈老师 is who reads the family's messages about him:
the message, filed under 张三, is on 陈老师's ``/due`` and 陈老师 can answer it (on today's main it was
nowhere 陈老师 looks).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.clock import ManualClock
from bot.domain.enums import RelationKind
from bot.store.models import Child, ChildRelation, FamilyMessage, FamilyMessageChild, SchoolClass
from tests.support.botapi_double import BotApiDouble
from tests.support.e2e import button, labels, running_school, to_chat
from tests.support.school import TG, ChainSchool

SAID = "孩子这两天不想吃饭"


def _grandpa_of_li_si_too(session: Session, school: ChainSchool) -> None:
    session.add(ChildRelation(child_id=school.li_si, kind=RelationKind.ENTRUSTED_GUARDIAN.value,
                              person_id=school.grandpa))


async def test_the_second_childs_new_class_teacher_sees_and_answers_a_message_about_both(
    botapi: BotApiDouble, database_url: str, clock: ManualClock
) -> None:
    async with running_school(botapi, database_url, clock, change=_grandpa_of_li_si_too) as bot:
        grandpa, li, chen = TG["grandpa"], TG["li"], TG["chen"]
        [told] = await bot.say(grandpa, SAID, 1)
        assert told.text.startswith("谢谢。您关于张三、李四的留言已转给李老师（班主任）")
        await bot.tick()
        [passed] = to_chat(botapi.take_sent(), li)
        assert passed.text.startswith(f"张爷爷（张三、李四的委托监护人，三年级1班）留言：\n“{SAID}”")
        with bot.uow() as uow:  # kept once, about both children
            [row] = uow.session.scalars(select(FamilyMessage)).all()
            about = set(uow.session.scalars(select(FamilyMessageChild.child_id)
                                            .where(FamilyMessageChild.message_id == row.id)))
            assert about == {bot.school.zhang_san, bot.school.li_si} and row.child_id == bot.school.zhang_san
            # The admin moves 李四 to 三年级2班, whose class teacher is 陈老师.
            other = SchoolClass(school_id=bot.school.school_id, grade="三年级", name="三年级2班",
                                class_teacher_id=bot.school.chen)
            uow.session.add(other)
            uow.session.flush()
            uow.session.get(Child, bot.school.li_si).class_id = other.id
            uow.commit()

        due = await bot.say(chen, "/due", 2)
        [shown] = [m for m in due if m.text.startswith("张爷爷（张三、李四的委托监护人")]
        assert f"“{SAID}”" in shown.text and labels(shown) == ["回复"]
        [ask] = await bot.press(chen, button(shown, "回复"), 1)
        assert ask.text == "请写下给张爷爷的回复（关于张三、李四）：" and labels(ask) == ["取消"]
        [sent] = await bot.say(chen, "李四这边我会留意，中午让他多吃点。", 1)
        assert sent.text == "已发送给张爷爷。"
        await bot.tick()
        [answer] = to_chat(botapi.take_sent(), grandpa)
        assert answer.text.splitlines()[:2] == ["陈老师（李四的班主任）回复了您的留言：",  # the child he reads
                                                "“李四这边我会留意，中午让他多吃点。”"]
        # Answered once for both: 李老师's /due no longer lists it.
        li_due = await bot.say(li, "/due", 1)
        assert not [m for m in li_due if SAID in m.text]
