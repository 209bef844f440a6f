"""On Telegram (issue 6, conv6t): a guardian's ``/report`` words reach the class teacher; emergency words at night.

The grandfather (张爷爷, entrusted guardian of 张三, class teacher 李老师) types as he would; the class
teacher's chat is read after a scheduler tick, as the outbox drain sends it.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session

from bot.domain.clock import ManualClock
from bot.domain.enums import Role
from bot.store.models import Person, PersonRole
from tests.support.botapi_double import BotApiDouble
from tests.support.e2e import running_school, to_chat
from tests.support.school import TG, ChainSchool

FRIDAY_17_58 = datetime(2026, 12, 4, 9, 58, tzinfo=UTC)
FRIDAY_23_30 = datetime(2026, 12, 4, 15, 30, tzinfo=UTC)  # inside the quiet hours (21:00–07:00)


async def test_a_guardian_s_slash_report_words_reach_the_class_teacher(
    botapi: BotApiDouble, database_url: str, clock: ManualClock
) -> None:
    clock.set(FRIDAY_17_58)
    async with running_school(botapi, database_url, clock) as bot:
        grandpa, li = TG["grandpa"], TG["li"]
        replies = await bot.say(grandpa, "/report 孩子发烧两天了", 2)
        said = "\n".join(r.text or "" for r in replies)
        assert "您关于张三的留言已转给李老师（班主任）" in said and "突发事件由学校教职工报告。" in said
        assert "统计数据" not in said
        await bot.tick()
        [to_teacher] = to_chat(botapi.take_sent(), li)
        assert "“孩子发烧两天了”" in (to_teacher.text or "")


def _also_caring_parent(session: Session, school: ChainSchool) -> None:
    grandpa = session.get(Person, school.people["grandpa"])
    assert grandpa is not None
    grandpa.roles.append(PersonRole(role=Role.CARING_PARENT.value))


async def test_a_guardian_who_is_also_a_caring_parent_hears_that_the_words_were_not_sent(
    botapi: BotApiDouble, database_url: str, clock: ManualClock
) -> None:
    # Staff keep /report as the figures, but the words after it are said back, never silently dropped.
    clock.set(FRIDAY_17_58)
    async with running_school(botapi, database_url, clock, change=_also_caring_parent) as bot:
        grandpa = TG["grandpa"]
        replies = await bot.say(grandpa, "/report 孩子发烧两天了", 2)
        assert (replies[0].text or "").startswith("统计数据只提供给")
        assert "“孩子发烧两天了”没有发给任何人" in (replies[1].text or "")


@pytest.mark.parametrize("words", ["孩子不见了", "孩子發燒抽搐", "救命"])
async def test_emergency_words_at_night_reach_the_class_teacher_at_once(
    botapi: BotApiDouble, database_url: str, clock: ManualClock, words: str
) -> None:
    clock.set(FRIDAY_17_58)
    async with running_school(botapi, database_url, clock) as bot:
        grandpa, li = TG["grandpa"], TG["li"]
        clock.set(FRIDAY_23_30)
        [answer] = await bot.say(grandpa, words, 1)
        assert "您关于张三的留言已作为紧急消息马上转给李老师（班主任）" in (answer.text or "")
        await bot.tick()  # 23:30: an ordinary message would wait for 07:00
        [urgent] = to_chat(botapi.take_sent(), li)
        assert (urgent.text or "").startswith("【紧急】") and f"“{words}”" in (urgent.text or "")
