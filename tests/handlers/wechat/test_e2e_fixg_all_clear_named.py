"""``秀云没事了`` on WeChat at the Friday check-in, with the incident about 杨秀云 open (fixg, issue 6).

The grandfather confirmed the alert about 杨秀云 with its number; the check-in came next. Naming the child, his all
clear used to answer the check-in as "good week" and reach nobody handling the incident.
"""

from __future__ import annotations

from tests.support.all_clear_world import wechat_checkin_after_alert


async def test_the_named_child_is_fine_at_the_check_in_reaches_the_reporter_and_the_check_in_returns(
        uow_factory, clock):
    async with wechat_checkin_after_alert(uow_factory, clock) as (school, grandpa, _wang, acked):
        assert "关于杨秀云的每周问题先等一等" in acked  # held while the emergency is open (fix6o)
        school.wecom.sent.clear()
        told = await grandpa("秀云没事了")
        assert "已记录" not in told
        assert told.startswith("谢谢。您关于杨秀云的话已转告收到这起突发事件通知的人：王老师")
        assert "杨秀云这周过得怎么样？" in told.split("还在等您回答：", 1)[1]
        await school.tick()
        assert any("“秀云没事了”" in m and "回复了关于杨秀云" in m for m in school.received("wang"))
