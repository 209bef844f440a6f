"""/talk: the talk record card through the flow runner (fake access/identity services, real DB)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from bot.domain.enums import TalkKind, TaskKind
from bot.store.models import Child, ChildRelation, School, TalkRecord, Task
from tests.support.chat import Chat
from tests.support.school import ACCOUNTS

SCHOOL_MONTH_END = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)  # 2026-12-01 00:00 Asia/Shanghai


def _talks(uow_factory):
    with uow_factory() as uow:
        rows = list(uow.session.scalars(select(TalkRecord).order_by(TalkRecord.id)))
        uow.session.expunge_all()  # keep the loaded values after the unit of work rolls back
        return rows


def _fill_card(chat: Chat, note: str | None = "聊了学习和想念父母") -> None:
    assert "与张三谈心。孩子的情绪怎么样？" in chat.text
    assert [label for label, _ in chat.choices] == ["好", "一般", "较差"]
    chat.tap("好")
    assert "张三的学习情况怎么样？" in chat.text
    chat.tap("一般")
    assert "张三的生活情况" in chat.text
    chat.tap("好")
    assert "张三有安全隐患吗？" in chat.text
    assert [label for label, _ in chat.choices] == ["没有", "有"]  # the harmless answer first (1 = 没有)
    chat.tap("没有")
    assert "请简单记录与张三的谈心内容" in chat.text
    if note is None:
        chat.tap("跳过")
    else:
        chat.send(note)
    assert "张三需要后续跟进吗？" in chat.text
    chat.tap("需要跟进：给我加一项跟进任务")


@pytest.mark.parametrize("command", ["/talk 张三", "谈心 张三", "/talk@guanai_bot 张三"])
def test_talk_card_with_buttons_saves_a_record(command, flows, school, uow_factory, clock):
    chat = Chat(flows, ACCOUNTS["li"])
    chat.send(command)
    _fill_card(chat)
    summary = chat.text
    assert "与张三的谈心——请核对后保存：" in summary
    for line in ("情绪：好", "学习：一般", "生活：好", "安全隐患：没有", "记录：聊了学习和想念父母", "需要跟进：是"):
        assert line in summary
    assert [label for label, _ in chat.choices] == ["保存", "重新填写", "取消"]
    chat.tap("保存")
    assert "已保存：与张三的谈心记录。" in chat.text
    [record] = _talks(uow_factory)
    assert (record.child_id, record.author_id, record.kind) == (
        school.zhang_a, school.li, TalkKind.CLASS_TEACHER_MONTHLY)
    assert (record.mood, record.study, record.daily_life, record.safety_concern) == ("good", "fair", "good", False)
    assert record.note == "聊了学习和想念父母" and record.follow_up is True and record.period == "2026-11"
    with uow_factory() as uow:
        task = uow.session.scalar(select(Task))
        assert task is not None
        assert (task.kind, task.assignee_id, task.child_id) == (TaskKind.TALK_FOLLOW_UP, school.li, school.zhang_a)


def test_double_save_saves_once(flows, school, uow_factory):
    chat = Chat(flows, ACCOUNTS["li"])
    chat.send("/talk 张三")
    _fill_card(chat, note=None)
    save = chat.payload("保存")
    chat.press(save, update_key="u1")
    chat.press(save, update_key="u2")  # a second tap: a new update with the same button
    assert "这个按钮属于之前的问题" in chat.text
    assert len(_talks(uow_factory)) == 1


def test_start_over_and_cancel(flows, school, uow_factory):
    chat = Chat(flows, ACCOUNTS["li"])
    chat.send("/talk 张三")
    _fill_card(chat)
    chat.tap("重新填写")
    _fill_card(chat)
    chat.tap("取消")
    assert "已取消，没有保存任何内容。" in chat.text
    assert _talks(uow_factory) == []


def test_namesakes_are_asked_to_choose(flows, school, uow_factory):
    with uow_factory() as uow:  # told apart by more than the class: birth date, guardian, village
        a, b = uow.session.get(Child, school.zhang_a), uow.session.get(Child, school.zhang_b)
        a.birth_date, a.address = date(2017, 3, 5), "某县清溪镇河坝村3组"
        b.birth_date = date(2016, 11, 20)
        uow.commit()
    chat = Chat(flows, ACCOUNTS["chen"])  # helper teacher paired with both 张三
    chat.send("谈心 张三")
    assert "有2个孩子叫张三，您指的是哪一个？" in chat.text
    assert [label for label, _ in chat.choices] == [
        "张三（三年级1班；2017年3月5日出生、监护人张爷爷、河坝村）", "张三（三年级2班；2016年11月20日出生）"]
    chat.tap("张三（三年级2班；2016年11月20日出生）")
    _fill_card(chat)
    chat.tap("保存")
    [record] = _talks(uow_factory)
    assert record.child_id == school.zhang_b and record.kind == TalkKind.VOLUNTEER_WEEKLY
    assert record.period == "2026-W49"


def test_out_of_scope_child_gets_the_unknown_answer(flows, school, uow_factory):
    chat = Chat(flows, ACCOUNTS["li"])
    outside = chat.send("/talk 王五")  # exists, in 王老师's class
    unknown = chat.send("/talk 不存在")
    assert outside[0].text == "在您负责的班级里没有找到名叫王五的孩子。"
    assert unknown[0].text == "在您负责的班级里没有找到名叫不存在的孩子。"
    assert outside[0].choices == unknown[0].choices == ()


def test_talk_alone_lists_children_still_due(flows, school, uow_factory):
    _started_on_1_november(uow_factory)
    chat = Chat(flows, ACCOUNTS["li"])
    chat.send("/talk 李四")
    _fill_card_for(chat, "李四")
    chat.send("/talk")
    assert "您和哪个孩子谈心了？以下还未完成：" in chat.text
    assert [label for label, _ in chat.choices] == ["张三（三年级1班）", "赵六（三年级1班）"]
    chat.tap("赵六（三年级1班）")
    assert "与赵六谈心。孩子的情绪怎么样？" in chat.text


def _fill_card_for(chat: Chat, name: str) -> None:
    for label in ("好", "好", "好", "没有", "跳过", "不需要跟进", "保存"):
        chat.tap(label)
    assert f"已保存：与{name}的谈心记录。" in chat.text


def test_numbered_replies_answer_the_current_question_only(flows, school, uow_factory):
    chat = Chat(flows, ACCOUNTS["chen"])
    chat.send("谈心 张三")
    chat.send("２")  # full-width digit, as typed on a Chinese keyboard
    assert "与张三谈心。孩子的情绪怎么样？" in chat.text
    for answer in ("3", "1", "2", "1"):  # mood poor, study good, daily life fair, safety no (1. 没有 2. 有)
        chat.send(answer)
    chat.send("写了一段记录")
    chat.send("9")
    assert "请回复 1 到 2 之间的数字。" in chat.text
    assert "张三需要后续跟进吗？" in chat.text  # the question is asked again
    chat.send("1")  # 1. 不需要跟进 2. 需要跟进：给我加一项跟进任务 (fix6l: the harmless answer first)
    chat.send("1")
    [record] = _talks(uow_factory)
    assert record.child_id == school.zhang_b
    assert (record.mood, record.study, record.daily_life, record.safety_concern, record.follow_up) == (
        "poor", "good", "fair", False, False)


def test_stale_button_changes_nothing(flows, school, uow_factory):
    chat = Chat(flows, ACCOUNTS["chen"])
    chat.send("谈心 张三")
    old_pick = chat.payload("张三（三年级1班；监护人张爷爷）")
    chat.tap("张三（三年级2班）")
    mood_good = chat.payload("好")
    chat.tap("较差")
    chat.press(old_pick)  # a button of the earlier question
    assert chat.rendered[0].text == "这个按钮属于之前的问题，请使用最新的消息。"
    chat.press(mood_good)
    assert chat.rendered[0].text == "这个按钮属于之前的问题，请使用最新的消息。"
    assert "张三的学习情况怎么样？" in chat.text  # the current question, shown again
    chat.send("1")
    for label in ("好", "没有", "跳过", "不需要跟进", "保存"):
        chat.tap(label)
    [record] = _talks(uow_factory)
    assert (record.child_id, record.mood, record.study) == (school.zhang_b, "poor", "good")


def test_tampered_value_in_a_current_button_changes_nothing(flows, school, uow_factory):
    chat = Chat(flows, ACCOUNTS["li"])
    chat.send("/talk 张三")
    version = chat.payload("好").split(":")[1]
    chat.press(f"f:{version}:excellent")
    assert chat.rendered[0].text == "这个按钮属于之前的问题，请使用最新的消息。"
    chat.tap("好")  # the question still stands
    assert "张三的学习情况怎么样？" in chat.text


def test_numbers_do_not_pick_from_a_stale_prompt(flows, school, uow_factory):
    chat = Chat(flows, ACCOUNTS["chen"])
    chat.send("谈心 张三")
    chat.send("/cancel")
    assert chat.text == "已取消，没有保存任何内容。"
    chat.send("1")
    assert "现在没有需要回复数字的问题" in chat.text
    assert _talks(uow_factory) == []


def test_note_too_long_is_asked_again(flows, school, uow_factory):
    chat = Chat(flows, ACCOUNTS["li"])
    chat.send("/talk 张三")
    for label in ("好", "好", "好", "没有"):
        chat.tap(label)
    chat.send("很" * 501)
    assert "内容有点长，请控制在500字以内后重新发送。" in chat.text
    assert "请简单记录与张三的谈心内容" in chat.text
    chat.send("报告 一切正常")  # a note may start with a keyword
    assert "张三需要后续跟进吗？" in chat.text


def test_guardian_cannot_log_talks(flows, school):
    chat = Chat(flows, ACCOUNTS["grandpa"])
    chat.send("/talk 张三")
    # A command asks the bot for something: it does not answer 张爷爷's alert about 张三 (words would).
    assert chat.text == "谈心记录由班主任、帮扶教师和爱心家长填写。"


def test_a_keyword_while_picking_starts_over(flows, school, uow_factory):
    chat = Chat(flows, ACCOUNTS["chen"])
    chat.send("谈心 张三")
    chat.send("谈心 李四")  # not in 陈老师's care: the new command is answered, not taken as a name
    assert chat.text == "在您负责的班级里没有找到名叫李四的孩子。"


def test_log_talk_is_idempotent_by_request_key(uow_factory, school, clock):
    from bot.services.talks import log_talk

    args = dict(author_id=school.chen, child_id=school.zhang_a, kind=TalkKind.VOLUNTEER_WEEKLY, mood="good",
                study="fair", daily_life="poor", safety_concern=True, note="n", follow_up=True, now=clock.now(),
                request_key="talk:1:9")
    with uow_factory() as uow:
        first = log_talk(uow, **args)
        uow.commit()
        tasks = uow.session.scalar(select(func.count()).select_from(Task))
    # The follow-up task, and for the safety concern one for the author and one for the school's admin
    # (no safeguarding lead or leader on record).
    assert tasks == 3
    with uow_factory() as uow:
        assert log_talk(uow, **args) == first
        uow.commit()
        assert uow.session.scalar(select(func.count()).select_from(TalkRecord)) == 1
        assert uow.session.scalar(select(func.count()).select_from(Task)) == tasks
        assert uow.session.get(TalkRecord, first).period == "2026-W49"


def test_a_failing_service_saves_nothing_and_the_update_can_be_retried(flows, school, uow_factory, monkeypatch):
    from bot.services import talks

    chat = Chat(flows, ACCOUNTS["li"])
    chat.send("/talk 张三")
    for label in ("好", "好", "好", "没有", "跳过", "不需要跟进"):
        chat.tap(label)
    save = chat.payload("保存")

    def broken(uow, **kwargs):
        raise RuntimeError("database went away")

    real = talks.log_talk
    monkeypatch.setattr(talks, "log_talk", broken)
    chat.press(save, update_key="u9")
    assert chat.text == "抱歉，出了点问题，没有保存任何内容，请再试一次。"
    monkeypatch.setattr(talks, "log_talk", real)
    chat.press(save, update_key="u9")  # the platform redelivers: handled now
    assert "已保存：与张三的谈心记录。" in chat.text
    assert len(_talks(uow_factory)) == 1


def test_talk_alone_lists_at_most_twenty(flows, school, monkeypatch):
    from bot.services import due
    from bot.services.due import DueTalk

    many = [DueTalk(1000 + i, f"学生{i}", "三年级1班", TalkKind.CLASS_TEACHER_MONTHLY, "2026-11", SCHOOL_MONTH_END,
                    False)
            for i in range(25)]
    monkeypatch.setattr(due, "talks_due", lambda uow, **kw: many)
    chat = Chat(flows, ACCOUNTS["li"])
    chat.send("/talk")
    assert len(chat.choices) == 20
    assert "……还有5名，请发送孩子的姓名。" in chat.text
    chat.send("赵六")  # a typed name still works
    assert "与赵六谈心" in chat.text


def test_typing_the_words_of_a_choice_answers_like_a_tap(flows, school, uow_factory):
    chat = Chat(flows, ACCOUNTS["li"])
    chat.send("谈心 张三")
    for answer in ("好", " 一般 ", "较差", "否", "跳过", "否", "保存"):
        chat.send(answer)
    assert chat.text.startswith("已保存")
    [record] = _talks(uow_factory)
    assert (record.mood, record.study, record.daily_life, record.safety_concern, record.note, record.follow_up) == (
        "good", "fair", "poor", False, None, False)


def test_a_child_deactivated_before_save_gets_no_record(flows, school, uow_factory):
    chat = Chat(flows, ACCOUNTS["li"])
    chat.send("/talk 张三")
    _fill_card(chat)
    with uow_factory() as uow:  # the child left the school while the card was being filled in
        uow.session.get(Child, school.zhang_a).active = False
        uow.commit()
    chat.tap("保存")
    assert chat.text == "在您负责的班级里没有找到名叫张三的孩子。"
    assert _talks(uow_factory) == []
    with uow_factory() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Task)) == 0


def test_log_talk_refuses_a_child_outside_the_authors_scope(uow_factory, school, clock):
    from bot.services.talks import ChildNotInScope, log_talk

    args = dict(author_id=school.chen, child_id=school.zhang_a, kind=TalkKind.VOLUNTEER_WEEKLY, mood="good",
                study="fair", daily_life="poor", safety_concern=False, note=None, follow_up=True, now=clock.now())
    with uow_factory() as uow:  # 陈老师 is no longer paired with 张三 (A)
        uow.session.query(ChildRelation).filter_by(child_id=school.zhang_a, person_id=school.chen).delete()
        uow.commit()
    with uow_factory() as uow:
        with pytest.raises(ChildNotInScope):
            log_talk(uow, request_key="talk:1:1", **args)
        with pytest.raises(ChildNotInScope):  # another class's child, never in scope
            log_talk(uow, request_key="talk:1:2", **{**args, "author_id": school.li, "child_id": school.wang_wu})
        with pytest.raises(LookupError):  # an unknown child is refused the same way
            log_talk(uow, request_key="talk:1:3", **{**args, "child_id": 999_999})
        assert uow.session.scalar(select(func.count()).select_from(TalkRecord)) == 0
        assert uow.session.scalar(select(func.count()).select_from(Task)) == 0


def test_everyday_words_for_yes_and_no_answer_like_a_tap(flows, school, uow_factory):
    chat = Chat(flows, ACCOUNTS["li"])
    chat.send("谈心 张三")
    for answer in ("好", "好", "好", "没有", "跳过", "需要", "保存"):
        chat.send(answer)
    assert chat.text.startswith("已保存")
    [record] = _talks(uow_factory)
    assert (record.safety_concern, record.follow_up) == (False, True)


def _started_on_1_november(uow_factory) -> None:
    """The school has used the bot since 1 November: November's monthly talks are owed (issue 9: a month the
    school started with fewer than 7 days left is not, and the fixture binds everyone on 30 November)."""
    with uow_factory() as uow:
        for row in uow.session.scalars(select(School)):
            row.started_at = datetime(2026, 11, 1, 1, 0, tzinfo=UTC)
        uow.commit()
