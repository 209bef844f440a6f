"""Defects a new-user trial of the teachers' side found, typed as they typed them (signed WeChat / WeCom XML).

A command with a child's name typed where the bot waits for words (a talk's
note, an incident's description, the answer to a family) is that command,
asked about first, never saved as the words; a command typed at "drop it?"
says what it dropped; the typed confirmation of a close is asked again by its
words; /me is information; a command is no acknowledgement of an alert; and
the forms people type (二, part of a name, ``talk`` without its slash).
"""

from __future__ import annotations

from sqlalchemy import select

from bot.store.models import Incident, IncidentStep, TalkRecord
from tests.handlers.wechat.test_e2e_agenda import _report
from tests.handlers.wechat.test_e2e_family import FEVER
from tests.handlers.wechat.test_e2e_incidents import _school

DROP_TALK = "您还没有完成与杨秀云的谈心记录，目前还没有保存。要放弃吗？"
DROP_REPORT = "您还没有完成杨秀云的事件报告，目前还没有保存。要放弃吗？"


def _rows(uow_factory, model) -> list:
    with uow_factory() as uow:
        rows = list(uow.session.scalars(select(model).order_by(model.id)))
        uow.session.expunge_all()
        return rows


async def test_a_report_command_typed_as_the_answer_to_the_grandfather_sets_it_aside_not_sent(uow_factory, clock):
    school = _school(uow_factory, clock)
    grandfather, wang = school.writer("zhangqiang"), school.writer("wang")
    async with school.client:
        await grandfather(FEVER)
        await school.tick()
        assert (await wang("1")).startswith("请写下给张强的回复（关于杨秀云）：")
        asked = await wang("报告 杨秀云")  # an incident report never asks to drop work: the reply is set aside
        assert asked.startswith("已暂存给张强关于杨秀云的回复：报告完成后，我会从您停下的地方接着问。")
        back = await wang("/cancel")  # the report cancelled: the reply comes back
        assert "请写下给张强的回复（关于杨秀云）：" in back
        assert await wang("报告老师孩子今天没来") == "已发送给张强。"  # a sentence, not a command: it is the answer
        await school.tick()
        [answer] = school.received("zhangqiang")
        assert "“报告老师孩子今天没来”" in answer


async def test_a_report_command_at_the_talks_note_sets_the_talk_aside_then_reports(uow_factory, clock):
    school = _school(uow_factory, clock)
    wang = school.writer("wang")
    async with school.client:
        for typed in ("谈心 杨秀云", "1", "1", "1"):
            await wang(typed)
        note = await wang("1")  # no safety concern (1. 没有 2. 有)
        assert note.startswith("请简单记录与杨秀云的谈心内容")
        kinds = await wang("报告 杨秀云")  # the talk is set aside (never dropped) and the report starts at once
        assert kinds.startswith("已暂存与杨秀云的谈心记录：报告完成后，我会从您停下的地方接着问。")
        assert "关于杨秀云的突发事件：发生了什么？" in kinds
        # 其他 (other) comes last, after suspected abuse or neglect
        assert "4. 欺凌  5. 疑似虐待或忽视（成人所为）  6. 其他\n" in kinds
        severity = await wang("二")  # a Chinese numeral: illness
        assert severity.startswith("杨秀云的情况有多严重？")
        await wang("1")
        describe = await wang("谈心 杨婷")  # at the description: the talk command, asked about first
        assert describe.startswith(DROP_REPORT)
        back = await wang("2")  # back to the report
        assert "请简要描述杨秀云的情况" in back
        assert (await wang("/talk 杨婷")).startswith(DROP_REPORT)
        assert (await wang("2")).startswith("继续报告杨秀云的事件：")
    assert _rows(uow_factory, TalkRecord) == []
    assert _rows(uow_factory, Incident) == []


async def test_another_command_at_drop_it_says_what_it_dropped(uow_factory, clock):
    school = _school(uow_factory, clock)
    wang = school.writer("wang")
    async with school.client:
        for typed in ("报告 杨秀云", "1", "1"):
            await wang(typed)
        assert (await wang("任务")).startswith(DROP_REPORT)
        card = await wang("档案 杨婷")  # a look drops nothing: the card, then "drop it?" again (fix6i)
        assert card.startswith("杨婷的档案") and "已放弃" not in card
        assert card.endswith(f"{DROP_REPORT}\n1. 放弃，继续新的操作  2. 回去接着做\n（回复数字即可）")
        talk = await wang("谈心 杨婷")
        assert talk.startswith("已放弃杨秀云的事件报告，没有保存任何内容。")
        assert "与杨婷谈心" in talk
    assert _rows(uow_factory, Incident) == []


async def test_closing_with_a_word_short_of_the_confirmation_asks_for_the_words(uow_factory, clock):
    school = _school(uow_factory, clock)
    wang = school.writer("wang")
    async with school.client:
        await _report(wang, "杨秀云")
        await wang("结束事件")
        await wang("1")  # safe at school
        confirm = await wang("跳过")
        assert "“确认结束” / “暂不结束”" in confirm
        again = await wang("确认")
        assert again.startswith("请输入“确认结束”以确认。")
        assert "请选择一个选项" not in again and "确认结束关于杨秀云" in again
        assert _rows(uow_factory, Incident)[0].status == "open"
        closed = await wang("确认结束")
        assert "请输入" not in closed
    assert _rows(uow_factory, Incident)[0].status == "closed"


async def test_me_is_information_its_unlink_choice_does_not_wait(uow_factory, clock):
    school = _school(uow_factory, clock)
    wang = school.writer("wang")
    async with school.client:
        await wang("谈心 杨婷")
        me = await wang("/me")  # a talk waits: /me is shown and the talk asked again, keeping its numbers
        assert "您的信息：" in me and "继续记录与杨婷的谈心：" in me
        assert (await wang("1")).startswith("杨婷的学习情况怎么样？")
        assert "要放弃吗？" in await wang("取消")  # answers given: asked first (fix6al, issue 6 item 1)
        assert (await wang("1")).startswith("已取消与杨婷的谈心记录，没有保存任何内容。")
        me = await wang("/me")
        assert "1. 解除绑定" in me
        due = await wang("/due")
        assert "解除绑定" not in due
        assert await wang("1") == "现在没有需要回复数字的问题。"
        kinds = await wang("/report")
        assert "要放弃吗" not in kinds
        me = await wang("我的")
        assert (await wang("1")).startswith("要解除哪个账号的绑定？")


async def test_a_command_from_an_alerted_guardian_acknowledges_nothing_but_words_do(uow_factory, clock):
    school = _school(uow_factory, clock)
    grandfather, wang = school.writer("zhangqiang"), school.writer("wang")
    async with school.client:
        await _report(wang, "杨秀云")
        await school.tick()
        [alert] = school.received("zhangqiang")
        assert "1. 确认收到" in alert
        me = await grandfather("/me")
        assert "您的信息：" in me and "已记录您对杨秀云事件通知的确认" not in me
        assert "1. 确认收到" in me  # the alert waits, asked again after the information
        steps = [s for s in _rows(uow_factory, IncidentStep) if s.acknowledged_at is not None]
        assert steps == []
        assert "已记录您对杨秀云事件通知的确认" in await grandfather("收到")
    assert any(s.acknowledged_at is not None for s in _rows(uow_factory, IncidentStep))


async def test_part_of_a_name_a_chinese_numeral_and_english_talk_without_the_slash(uow_factory, clock):
    school = _school(uow_factory, clock)
    wang = school.writer("wang")
    async with school.client:
        offered = await wang("谈心 杨")
        assert "1. 杨婷（一年级（1）班）" in offered and "杨秀云（一年级（1）班）" in offered
        assert (await wang("两")).startswith("与杨秀云谈心。")
        await wang("取消")
        started = await wang("talk 杨秀云")
        assert started.startswith("与杨秀云谈心。孩子的情绪怎么样？")
