"""Weekly check-ins: planned once at Friday 18:00 school time, reminded, escalated, answered once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select

from bot.config import Settings
from bot.domain.enums import Priority, RelationKind, Role, TaskKind
from bot.i18n import render
from bot.services import checkin_questions, checkins
from bot.services.checkins import AnswerResult
from bot.services.delivery import drain_outbox
from bot.store.models import (
    Checkin,
    ChildRelation,
    OutboxMessage,
    Person,
    PersonRole,
    SchoolClass,
    Task,
)
from tests.support.fakes import FakeSender
from tests.support.school import add_account, tiny_school

SETTINGS = Settings(database_url="sqlite://")
FRIDAY_1800 = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)  # Friday 18:00 Asia/Shanghai, ISO week 2026-W49


def _plan(uow_factory, now) -> int:
    with uow_factory() as uow:
        n = checkins.plan_checkins(uow, now=now, settings=SETTINGS)
        uow.commit()
        return n


def _remind(uow_factory, now) -> int:
    with uow_factory() as uow:
        n = checkins.remind_checkins(uow, now=now, settings=SETTINGS)
        uow.commit()
        return n


def _answer(uow_factory, guardian_id, checkin_id, answer, now) -> AnswerResult:
    with uow_factory() as uow:
        result = checkins.record_checkin_answer(uow, guardian_id=guardian_id, checkin_id=checkin_id,
                                                answer=answer, now=now)
        uow.commit()
        return result


def _checkin(uow_factory) -> Checkin:
    with uow_factory() as uow:
        row = uow.session.scalar(select(Checkin))
        uow.session.expunge(row)
        return row


def _drain(uow_factory, sender, now):
    return asyncio.run(drain_outbox(uow_factory, {sender.channel: sender}, now=now, settings=SETTINGS))


def test_checkin_is_planned_once_a_week_at_friday_1800(uow_factory) -> None:
    ids = tiny_school(uow_factory)
    assert _plan(uow_factory, FRIDAY_1800 - timedelta(minutes=1)) == 0
    assert _plan(uow_factory, FRIDAY_1800) == 1
    assert _plan(uow_factory, FRIDAY_1800 + timedelta(hours=30)) == 0  # Saturday: same week
    checkin = _checkin(uow_factory)
    assert (checkin.child_id, checkin.guardian_id, checkin.period) == (ids.child, ids.guardian, "2026-W49")

    sender = FakeSender()
    _drain(uow_factory, sender, FRIDAY_1800)
    [question] = sender.to(f"tg-{ids.guardian}")
    shown = render(question.prompt, question.locale)
    assert shown.text == "张小明这周过得怎么样？"
    assert shown.choices == (("很好", f"ci:{checkin.id}:g"), ("一般", f"ci:{checkin.id}:s"),
                             ("需要帮助", f"ci:{checkin.id}:h"))
    # Next week's check-in comes next Friday.
    assert _plan(uow_factory, FRIDAY_1800 + timedelta(days=7)) == 1


def test_a_question_already_in_the_outbox_is_kept_once_and_its_check_in_is_planned(uow_factory) -> None:
    # As when another worker wrote it meanwhile: the planner's first, plain insert meets the outbox key and
    # the batch goes again skipping what exists, instead of failing the school's Friday.
    ids = tiny_school(uow_factory)
    key = checkin_questions.outbox_key(ids.child, ids.guardian, "2026-W49")
    with uow_factory() as uow:
        uow.session.add(OutboxMessage(key=key, person_id=ids.guardian, priority=Priority.BULK.value,
                                      payload=checkin_questions.reference(), created_at=FRIDAY_1800,
                                      not_before=FRIDAY_1800, child_id=ids.child))
        uow.commit()
    assert _plan(uow_factory, FRIDAY_1800) == 1
    with uow_factory() as uow:
        assert uow.session.scalar(select(func.count()).select_from(OutboxMessage)
                                  .where(OutboxMessage.key == key)) == 1
        assert uow.session.scalar(select(func.count()).select_from(Checkin)) == 1


def test_reminder_after_48_hours_then_a_phone_task_for_the_helper_teacher(uow_factory) -> None:
    ids = tiny_school(uow_factory)
    _plan(uow_factory, FRIDAY_1800)
    sender = FakeSender()
    _drain(uow_factory, sender, FRIDAY_1800)
    assert _remind(uow_factory, FRIDAY_1800 + timedelta(hours=47, minutes=59)) == 0
    reminder_at = FRIDAY_1800 + timedelta(hours=48)
    assert _remind(uow_factory, reminder_at) == 1
    assert _remind(uow_factory, reminder_at) == 0
    _drain(uow_factory, sender, reminder_at)
    [_question, reminder] = sender.to(f"tg-{ids.guardian}")
    assert "温馨提醒" in render(reminder.prompt, reminder.locale).text

    assert _remind(uow_factory, reminder_at + timedelta(hours=47)) == 0
    assert _remind(uow_factory, reminder_at + timedelta(hours=48)) == 1
    assert _remind(uow_factory, reminder_at + timedelta(hours=49)) == 0
    with uow_factory() as uow:
        [task] = uow.session.scalars(select(Task)).all()
        assert (task.kind, task.assignee_id, task.about_person_id) == (
            TaskKind.PHONE_GUARDIAN.value, ids.helper, ids.guardian)
    _drain(uow_factory, sender, reminder_at + timedelta(hours=48))
    [to_helper] = sender.to(f"tg-{ids.helper}")
    shown = render(to_helper.prompt, to_helper.locale).text  # the helper reads English
    assert "has not answered" in shown and "138 0000 0003" in shown and "张奶奶" in shown


def test_phone_task_falls_back_to_the_class_teacher(uow_factory) -> None:
    ids = tiny_school(uow_factory)
    with uow_factory() as uow:
        uow.session.execute(delete(ChildRelation).where(ChildRelation.kind == RelationKind.HELPER_TEACHER.value))
        uow.commit()
    _plan(uow_factory, FRIDAY_1800)
    _remind(uow_factory, FRIDAY_1800 + timedelta(hours=48))
    _remind(uow_factory, FRIDAY_1800 + timedelta(hours=96))
    with uow_factory() as uow:
        assert uow.session.scalar(select(Task.assignee_id)) == ids.teacher


def test_answer_is_recorded_once_and_only_by_the_guardian(uow_factory) -> None:
    ids = tiny_school(uow_factory)
    _plan(uow_factory, FRIDAY_1800)
    checkin_id = _checkin(uow_factory).id
    later = FRIDAY_1800 + timedelta(hours=1)
    assert _answer(uow_factory, ids.mother, checkin_id, "good", later) is AnswerResult.NOT_YOURS
    assert _answer(uow_factory, ids.guardian, 9999, "good", later) is AnswerResult.NOT_YOURS
    assert _answer(uow_factory, ids.guardian, checkin_id, "good", later) is AnswerResult.RECORDED
    assert _answer(uow_factory, ids.guardian, checkin_id, "needs_help", later) is AnswerResult.ALREADY
    checkin = _checkin(uow_factory)
    assert (checkin.answer, checkin.answered_at) == ("good", later)
    # An answered check-in is neither reminded nor escalated.
    assert _remind(uow_factory, FRIDAY_1800 + timedelta(days=5)) == 0
    with uow_factory() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Task)) == 0



def test_needs_help_tells_the_helper_teacher_at_once_even_at_night(uow_factory) -> None:
    ids = tiny_school(uow_factory)
    _plan(uow_factory, FRIDAY_1800)
    checkin_id = _checkin(uow_factory).id
    night = datetime(2026, 12, 4, 13, 30, tzinfo=UTC)  # 21:30 Shanghai: quiet hours
    assert _answer(uow_factory, ids.guardian, checkin_id, "needs_help", night) is AnswerResult.RECORDED
    with uow_factory() as uow:
        [task] = uow.session.scalars(select(Task)).all()
        assert (task.kind, task.assignee_id, task.child_id) == (TaskKind.HELP_REQUEST.value, ids.helper, ids.child)
        row = uow.session.scalar(select(OutboxMessage).where(OutboxMessage.person_id == ids.helper))
        assert row.priority == Priority.URGENT.value
    sender = FakeSender()
    _drain(uow_factory, sender, night)
    [to_helper] = sender.to(f"tg-{ids.helper}")
    assert '"needs help"' in render(to_helper.prompt, to_helper.locale).text

    with uow_factory() as uow:
        checkins.record_checkin_note(uow, guardian_id=ids.guardian, checkin_id=checkin_id,
                                     note="  孩子发烧了  ", now=night)
        uow.commit()
    with uow_factory() as uow:
        assert uow.session.get(Checkin, checkin_id).follow_up_text == "孩子发烧了"
        assert uow.session.scalar(select(Task)).detail.endswith("孩子发烧了")
    _drain(uow_factory, sender, night)
    assert "孩子发烧了" in render(sender.to(f"tg-{ids.helper}")[-1].prompt, "en").text


def test_the_kind_of_help_reaches_the_teacher_as_a_label_in_their_language(uow_factory) -> None:
    ids = tiny_school(uow_factory)  # the helper teacher reads English
    _plan(uow_factory, FRIDAY_1800)
    checkin_id = _checkin(uow_factory).id
    assert _answer(uow_factory, ids.guardian, checkin_id, "needs_help", FRIDAY_1800) is AnswerResult.RECORDED
    with uow_factory() as uow:
        checkins.record_checkin_note(uow, guardian_id=ids.guardian, checkin_id=checkin_id, note=" ",
                                     now=FRIDAY_1800, help_kind="money")
        checkins.record_checkin_note(uow, guardian_id=ids.guardian, checkin_id=checkin_id, note="学费还差一些",
                                     now=FRIDAY_1800, help_kind="study")
        uow.commit()
    sender = FakeSender()
    _drain(uow_factory, sender, FRIDAY_1800)
    texts = [render(s.prompt, s.locale).text for s in sender.to(f"tg-{ids.helper}")]
    assert texts[1:] == [
        "张奶奶 (guardian of 张小明) needs help with: Money.",
        "张奶奶 (guardian of 张小明) needs help with: Study. They add: 学费还差一些",
    ]
    with uow_factory() as uow:
        assert uow.session.get(Checkin, checkin_id).follow_up_text == "money\n[study] 学费还差一些"


def _without_teachers_with_admins(uow_factory) -> tuple:
    """The school of make_school with no helper teacher and no class teacher, and an admin and a leader."""
    ids = tiny_school(uow_factory)
    with uow_factory() as uow:
        uow.session.execute(delete(ChildRelation).where(ChildRelation.kind == RelationKind.HELPER_TEACHER.value))
        uow.session.get(SchoolClass, ids.klass).class_teacher_id = None
        admins = []
        for name, role in (("周校长", Role.SCHOOL_LEADER), ("钱主任", Role.ADMIN)):
            person = Person(school_id=ids.school, name=name, natural_key=f"t:{name}")
            person.roles.append(PersonRole(role=role.value))
            uow.session.add(person)
            uow.session.flush()
            add_account(uow.session, person.id, f"tg-{person.id}")
            admins.append(person.id)
        uow.commit()
    return ids, admins


def test_needs_help_without_helper_or_class_teacher_goes_to_the_admins(uow_factory) -> None:
    ids, admins = _without_teachers_with_admins(uow_factory)
    _plan(uow_factory, FRIDAY_1800)
    checkin_id = _checkin(uow_factory).id
    assert _answer(uow_factory, ids.guardian, checkin_id, "needs_help", FRIDAY_1800) is AnswerResult.RECORDED
    with uow_factory() as uow:
        [task] = uow.session.scalars(select(Task)).all()
        assert (task.kind, task.assignee_id, task.child_id) == (TaskKind.HELP_REQUEST.value, admins[0], ids.child)
    sender = FakeSender()
    _drain(uow_factory, sender, FRIDAY_1800)
    for admin in admins:
        [message] = sender.to(f"tg-{admin}")
        shown = render(message.prompt, "zh_Hans").text
        assert "张奶奶" in shown and "138 0000 0003" in shown
        assert shown.endswith("张小明没有登记帮扶教师或班主任，所以这条消息发给您。")


def test_an_unanswered_checkin_without_teachers_becomes_a_phone_task_for_an_admin(uow_factory) -> None:
    ids, admins = _without_teachers_with_admins(uow_factory)
    _plan(uow_factory, FRIDAY_1800)
    _remind(uow_factory, FRIDAY_1800 + timedelta(hours=48))
    _remind(uow_factory, FRIDAY_1800 + timedelta(hours=96))
    with uow_factory() as uow:
        [task] = uow.session.scalars(select(Task)).all()
        assert (task.kind, task.assignee_id) == (TaskKind.PHONE_GUARDIAN.value, admins[0])
        notified = uow.session.scalars(select(OutboxMessage.person_id).where(OutboxMessage.key.startswith("task:")))
        assert sorted(notified) == sorted(admins)


def test_the_question_is_worded_when_sent_so_a_corrected_name_is_the_one_asked_about(uow_factory) -> None:
    """Issue 7, item 5: the planner writes a reference (no prompt per child); the sender words it."""
    from bot.services import checkin_questions
    from bot.store.models import Child

    ids = tiny_school(uow_factory)
    assert _plan(uow_factory, FRIDAY_1800) == 1
    with uow_factory() as uow:
        row = uow.session.scalar(select(OutboxMessage).where(OutboxMessage.person_id == ids.guardian))
        assert row.payload == checkin_questions.reference()
        assert row.key == f"checkin:{ids.child}:{ids.guardian}:2026-W49" and row.priority == Priority.BULK.value
        uow.session.get(Child, ids.child).name = "张晓明"  # the office corrects a typo before it goes out
        uow.commit()

    sender = FakeSender()
    _drain(uow_factory, sender, FRIDAY_1800 + timedelta(minutes=1))
    [question] = sender.to(f"tg-{ids.guardian}")
    assert render(question.prompt, question.locale).text == "张晓明这周过得怎么样？"
    assert question.prompt == checkin_questions.m.question_prompt(_checkin(uow_factory).id, "张晓明")


def test_last_weeks_button_after_this_weeks_question_names_its_week_and_records_nothing(uow_factory) -> None:
    ids = tiny_school(uow_factory)
    _plan(uow_factory, FRIDAY_1800)
    old = _checkin(uow_factory)
    _plan(uow_factory, FRIDAY_1800 + timedelta(days=7))
    later = FRIDAY_1800 + timedelta(days=7, hours=1)
    assert _answer(uow_factory, ids.guardian, old.id, "good", later) == AnswerResult.MISSED
    with uow_factory() as uow:
        assert uow.session.get(Checkin, old.id).answered_at is None  # counted as unanswered in the figures
        shown = render(checkins.missed_prompt(uow, old.id, "Asia/Shanghai"), "zh_Hans").text
    assert "2026年12月4日" in shown and "那周的每周联系已经结束" in shown
