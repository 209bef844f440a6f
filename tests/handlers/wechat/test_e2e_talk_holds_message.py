"""A talk begun hours ago keeps its numbers when a grandfather's message arrives, over signed WeCom XML (fix6w).

王老师 starts 谈心 杨秀云 at 09:00 and leaves the mood question on screen. At 16:00 张强 writes on the Official
Account. Before, the talk having waited more than six hours, his message reached her numbered ``1. 回复`` and her
``1`` for the mood began a reply to him; ``/due`` then said nothing of the talk. Now his message comes without
numbers, naming the talk; ``1`` answers the mood, ``/due`` brings the talk back, and his message is asked with its
Reply once the talk is saved.

fix6ac changed this on purpose: a talk left unanswered 45 minutes (:data:`bot.domain.agenda.TALK_IDLE`) no longer
holds his message: it comes numbered ``1. 回复`` with a line saying the talk is set aside and that 取消 goes back
to it at once. Her 取消 brings the mood question back; the rest is as before.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.store.models import TalkRecord
from tests.handlers.wechat.test_e2e_incidents import _school

COUGH = "孩子晚上咳嗽得厉害，怎么办？"


async def test_her_1_answers_the_talk_begun_this_morning_not_his_message(uow_factory, clock):
    school = _school(uow_factory, clock)
    grandfather, wang = school.writer("zhangqiang"), school.writer("wang")
    async with school.client:
        mood = await wang("谈心 杨秀云")
        assert "孩子的情绪怎么样？\n1. 好  2. 一般  3. 较差" in mood
        clock.advance(timedelta(hours=7))
        assert (await grandfather(COUGH)).startswith("谢谢。您关于杨秀云的留言已转给王老师")
        await school.tick()
        [passed] = school.received("wang")
        assert f"“{COUGH}”" in passed and "1. 回复" in passed
        assert "已暂存与杨秀云的谈心记录" in passed and "回复“取消”可马上回到它" in passed
        assert "孩子的情绪怎么样？" in await wang("取消")
        study = await wang("1")
        assert study.startswith("杨秀云的学习情况怎么样？")
        due = await wang("/due")
        assert "继续记录与杨秀云的谈心：\n\n杨秀云的学习情况怎么样？" in due
        for answer in ("1", "1", "1", "跳过", "1"):
            await wang(answer)
        saved = await wang("1")
        assert saved.startswith("已保存：与杨秀云的谈心记录。")
        assert f"“{COUGH}”" in saved and "1. 回复" in saved
        assert (await wang("1")).startswith("请写下给张强的回复（关于杨秀云）：")
    with uow_factory() as uow:
        [talk] = uow.session.scalars(select(TalkRecord)).all()
        assert talk.mood == "good"
