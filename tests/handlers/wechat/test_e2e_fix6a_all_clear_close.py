"""On WeChat (numbered replies) the all clear's close works as on the console (fix6a, issue 6).

The grandfather's first words (``我马上去找``, with its 回复) are still the teacher's question when his
``杨秀云没事了`` arrives: the all clear is shown with its numbers on top of them, so the teacher's ``2`` begins
the close, which asks one confirmation naming the child and the report time (typed, never a number); his earlier
words come back afterwards. A second all clear comes with the close as well.
"""

from __future__ import annotations

from tests.handlers.wechat.test_e2e_incidents import _school
from tests.support.all_clear_world import report_on_wechat


async def test_the_teacher_closes_from_the_all_clear_by_its_number(uow_factory, clock):
    school = _school(uow_factory, clock)
    grandpa, wang = school.writer("zhangqiang"), school.writer("wang")
    async with school.client:
        await report_on_wechat(wang, "3", "放学后没回家")  # missing
        await school.tick()
        await grandpa("我马上去找")
        await grandpa("杨秀云没事了")
        await school.tick()
        [all_clear] = [m for m in school.received("wang") if "“杨秀云没事了”" in m]
        assert "\n1. 回复  2. 结束事件\n" in all_clear  # its numbers shown, not queued
        sure = await wang("2")
        assert sure.startswith("确认结束关于杨秀云")
        assert "报告于" in sure and "结果：孩子已找到" in sure
        assert "事件已结束" not in await wang("1")  # never a bare number
        closed = await wang("确认结束")
        assert closed.startswith("事件已结束。") and "“我马上去找”" in closed.split("还在等您回答：", 1)[1]
