"""Issue 6 trial (fixh) over signed WeChat / WeCom XML: a note at night, and 谢谢 after the teacher's answer."""

from __future__ import annotations

from datetime import timedelta

from tests.handlers.wechat.test_e2e_agenda import plan_friday_checkins
from tests.handlers.wechat.test_e2e_incidents import _school

NIGHT = "现在是夜间：王老师将在"


async def test_a_worry_written_at_night_as_the_note_is_told_it_waits_and_whom_to_phone(uow_factory, clock):
    school = _school(uow_factory, clock)
    grandpa = school.writer("zhangqiang")
    plan_friday_checkins(uow_factory, clock)
    async with school.client:
        await school.tick()
        clock.advance(timedelta(hours=5))  # 23:00 in Shanghai
        await grandpa("2")
        told = await grandpa("孩子晚上发烧了怎么办")
        assert told.startswith("谢谢。您关于杨秀云的留言已转给王老师（班主任）")
        assert NIGHT in told and "请马上拨打120（救护车）或110（报警）" in told


async def test_thanks_for_an_answer_followed_by_the_check_in_is_thanks_and_the_check_in_is_asked_again(
        uow_factory, clock):
    """王老师 answers before 18:00; the check-in reaches him after her answer; his 谢谢 thanks her."""
    school = _school(uow_factory, clock)
    grandpa, wang = school.writer("zhangqiang"), school.writer("wang")
    async with school.client:
        await grandpa("孩子发烧了")
        await school.tick()
        school.received("wang")
        await wang("1")
        assert await wang("明天我去看看") == "已发送给张强。"
        await school.tick()
        assert "“明天我去看看”" in school.received("zhangqiang")[-1]
        plan_friday_checkins(uow_factory, clock)
        await school.tick()
        assert "杨秀云这周过得怎么样？" in school.received("zhangqiang")[-1]
        clock.advance(timedelta(minutes=1))  # he reads it, and types a minute later
        thanked = await grandpa("谢谢")
        assert thanked.startswith("谢谢。已记下您看过了王老师的回复。")
        assert "不是这个问题的回答" not in thanked
        assert "杨秀云这周过得怎么样？" in thanked
        again = await grandpa("谢谢")  # said again, with the check-in shown: words for the teacher (fix6n)
        assert again.startswith("谢谢。您关于杨秀云的留言已转给王老师（班主任）")
        assert "杨秀云这周过得怎么样？" in again and "已记录" not in again
