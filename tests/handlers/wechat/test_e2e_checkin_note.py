"""A note after a check-in answer reaches the class teacher at once, over signed WeChat / WeCom XML (issue 6.4).

The grandfather 张强 answers 杨秀云's Friday check-in on the Official Account
and writes a note; the class teacher 王老师 receives it on WeCom as a family
message with its numbered Reply, answers it, and he reads her answer. The note
stays in the helper teacher's daily digest as well.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select

from bot.domain.enums import RelationKind
from bot.store.models import ChildRelation, FamilyMessage
from tests.handlers.wechat.test_e2e_agenda import plan_friday_checkins
from tests.handlers.wechat.test_e2e_incidents import _school

COUGH = "孩子最近晚上咳嗽"


async def test_a_checkin_note_reaches_the_class_teacher_who_answers_it_with_the_number(uow_factory, clock):
    school = _school(uow_factory, clock)
    grandpa, wang = school.writer("zhangqiang"), school.writer("wang")
    assert plan_friday_checkins(uow_factory, clock) >= 1
    async with school.client:
        await school.tick()
        [question] = school.received("zhangqiang")
        assert "杨秀云这周过得怎么样？" in question
        follow_up = await grandpa("1")
        assert "关于杨秀云，还有什么想告诉老师的吗？" in follow_up
        told = await grandpa(COUGH)
        assert told.startswith("谢谢。您关于杨秀云的留言已转给王老师（班主任），老师看到后会在这里回复您。")
        await school.tick()
        [passed] = school.received("wang")
        assert passed.startswith(f"张强（杨秀云的外祖父，一年级（1）班）留言：\n“{COUGH}”\n"
                                 "写于每周联系回答“很好”之后。")
        assert "1. 回复" in passed
        ask = await wang("1")
        assert ask.startswith("请写下给张强的回复（关于杨秀云）：")
        assert await wang("谢谢告知，我明天看看孩子。") == "已发送给张强。"
        await school.tick()
        answer = school.received("zhangqiang")[-1]
        assert answer.startswith("王老师（杨秀云的班主任）回复了您的留言：\n“谢谢告知，我明天看看孩子。”")
    with uow_factory() as uow:
        kept = uow.session.execute(select(FamilyMessage.kind, FamilyMessage.body, FamilyMessage.digested_at)
                                   .order_by(FamilyMessage.id)).all()
    # The relayed message, and the note still waiting for the helper teacher's daily digest (the body is
    # encrypted at rest, so it is compared after reading).
    assert sorted((k, d) for k, b, d in kept if b == COUGH) == [("checkin_note", None), ("message", None)]


async def test_a_note_written_late_at_night_waits_for_the_teachers_morning(uow_factory, clock):
    """A check-in note is an ordinary message: it keeps the quiet hours (21:00–07:00 school time)."""
    school = _school(uow_factory, clock)
    grandpa = school.writer("zhangqiang")
    plan_friday_checkins(uow_factory, clock)
    async with school.client:
        await school.tick()
        clock.advance(timedelta(hours=4, minutes=10))  # 22:10 in Shanghai: he answers late
        await grandpa("2")
        told = await grandpa("孩子这几天不爱说话")
        assert told.startswith("谢谢。您关于杨秀云的留言已转给王老师（班主任）")
        await school.tick()
        assert school.received("wang") == []  # not woken at night
        clock.advance(timedelta(hours=9))  # 07:10 on Saturday
        await school.tick()
        [passed] = school.received("wang")
        assert "“孩子这几天不爱说话”" in passed and "写于每周联系回答“一般”之后。" in passed


async def test_a_class_teacher_who_holds_the_help_task_reads_the_note_once_with_both_reasons(uow_factory, clock):
    """杨秀云 has no helper teacher: 王老师 follows the help request up and is her class teacher, so his note is one
    message to her (the family message she can answer, naming the help), not a family message and a task note."""
    school = _school(uow_factory, clock)
    grandpa = school.writer("zhangqiang")
    with uow_factory() as uow:
        uow.session.execute(delete(ChildRelation).where(ChildRelation.child_id == school.world.xiuyun,
                                                        ChildRelation.kind == RelationKind.HELPER_TEACHER.value))
        uow.commit()
    plan_friday_checkins(uow_factory, clock)
    async with school.client:
        await school.tick()
        assert "杨秀云需要哪方面的帮助？" in await grandpa("3")
        await grandpa("1")  # health
        told = await grandpa(COUGH)
        assert told.startswith("谢谢。您关于杨秀云的留言已转给王老师（班主任），老师看到后会在这里回复您。")
        await school.tick()
        asked, note = school.received("wang")
        assert "在每周联系中选择了“需要帮助”" in asked  # the help request itself, at the answer
        assert note.startswith(f"张强（杨秀云的外祖父，一年级（1）班）留言：\n“{COUGH}”\n"
                               "写于每周联系回答“需要帮助”之后。")
        assert "这项求助也由您跟进：身体健康。请尽快联系。" in note and "1. 回复" in note
        assert "补充：" not in note  # no second, task-note wording
