"""Defects a trial by new users found in issue 6's conversations, typed as they typed them (signed WeChat XML).

Each test has another question waiting in the same chat where it matters: a
number answers only the question most recently shown, and what waits is asked
again with its context named.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.store.models import Incident, TalkRecord
from tests.handlers.wechat.test_e2e_agenda import _report
from tests.handlers.wechat.test_e2e_incidents import _school


def _incidents(uow_factory) -> list[Incident]:
    with uow_factory() as uow:
        rows = list(uow.session.scalars(select(Incident).order_by(Incident.id)))
        uow.session.expunge_all()
        return rows


async def test_due_in_the_middle_of_a_talk_keeps_the_talks_numbers_and_asks_it_again(uow_factory, clock):
    school = _school(uow_factory, clock)
    wang = school.writer("wang")
    async with school.client:
        await _report(wang, "杨秀云")  # an open incident: /due lists it with a "查看" choice
        await wang("谈心 杨婷")
        study = await wang("1")
        assert "杨婷的学习情况怎么样？" in study
        due = await wang("待办")
        assert "未结束的突发事件（1）" in due and "杨秀云" in due
        assert "查看：" not in due  # the list is information here: its choices do not take the numbers
        assert "继续记录与杨婷的谈心：" in due
        assert due.rstrip().splitlines()[-2] == "1. 好  2. 一般  3. 较差"
        life = await wang("1")  # answers the talk's study question, not "show the incident"
        assert "杨婷的生活情况" in life and "查看" not in life
        assert await wang("取消") == "已取消，没有保存任何内容。"
        assert await wang("取消") == "现在没有进行中的操作，无需取消。"
        shown = await wang("待办")  # nothing waits now: the list's own choices are numbered
        assert "1. 查看：杨秀云" in shown
    assert _incidents(uow_factory)[0].status == "open"
    with uow_factory() as uow:
        assert uow.session.scalars(select(TalkRecord)).all() == []
