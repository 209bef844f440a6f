"""An all clear typed on WeChat at the check-in's note reaches everyone alerted (conv6r, bot.flows.all_clear).

The grandfather 张强 confirmed the alert about 杨秀云 with its number, then answered the Friday check-in; at its
"anything to tell the teacher?" his ``没事了`` is news about the incident for the class teacher, not the end of
the check-in ("nothing more needed"), and the note question is asked again.
"""

from __future__ import annotations

from tests.support.all_clear_world import wechat_checkin_after_alert


async def test_an_all_clear_at_the_check_in_note_reaches_the_reporter(uow_factory, clock):
    async with wechat_checkin_after_alert(uow_factory, clock) as (school, grandpa, _wang, acked):
        assert "确认" in acked and "杨秀云这周过得怎么样？" in acked
        assert "关于杨秀云，还有什么想告诉老师的吗？" in await grandpa("1")
        school.wecom.sent.clear()
        told = await grandpa("没事了")
        assert told.startswith("谢谢。您关于杨秀云的话已转告收到这起突发事件通知的人：王老师")
        assert "关于杨秀云，还有什么想告诉老师的吗？" in told.split("还在等您回答：", 1)[1]
        await school.tick()
        assert any("“没事了”" in m and "回复了关于杨秀云" in m for m in school.received("wang"))
