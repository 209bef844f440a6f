"""An all clear typed on WeChat at the check-in's note reaches everyone alerted (conv6r, bot.flows.all_clear).

The grandfather 张强 confirmed the alert about 杨秀云 with its number, then answered the Friday check-in; at its
"anything to tell the teacher?" his ``没事了`` is news about the incident for the class teacher, not the end of
the check-in ("nothing more needed"), and the note question is asked again.
"""

from __future__ import annotations

from tests.support.all_clear_world import wechat_checkin_after_alert


async def test_an_all_clear_at_the_check_in_note_reaches_the_reporter(uow_factory, clock):
    async with wechat_checkin_after_alert(uow_factory, clock) as (school, grandpa, _wang, acked):
        # The emergency is open: the check-in is held (fix6o); his first all clear lifts the hold, and then
        # the check-in is answered and its note asked.
        assert "确认" in acked and "关于杨秀云的每周问题先等一等" in acked
        assert "杨秀云这周过得怎么样？" in (await grandpa("孩子没事了")).split("还在等您回答：", 1)[1]
        assert "关于杨秀云，还有什么想告诉老师的吗？" in await grandpa("1")
        school.wecom.sent.clear()
        told = await grandpa("没事了")
        # His second all clear (the first lifted the hold): to the reporter only, as any second one.
        assert told.startswith("您关于杨秀云的平安消息之前已转告收到这起突发事件通知的人。这次的话已转告：王老师。")
        assert "关于杨秀云，还有什么想告诉老师的吗？" in told.split("还在等您回答：", 1)[1]
        await school.tick()
        assert any("“没事了”" in m and "回复了关于杨秀云" in m for m in school.received("wang"))
