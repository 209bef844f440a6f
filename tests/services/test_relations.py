"""Need-to-know kept current (issue 10, item 5): a relation that ends takes its access and its messages with it.

The school re-imports its roster with another entrusted guardian for 杨秀云.
Her former guardian, 张强, is still bound to the bot and still has this week's
check-in question in his chat. From that moment he gets no reminder and no
question about her, and tapping "needs help" on the old message is refused
politely: no task, nothing to her helper teacher. End to end on Telegram with
the sample school (synthetic).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import openpyxl
from sqlalchemy import delete, select

from bot.config import Settings
from bot.domain.enums import RelationKind, TaskKind
from bot.i18n import render
from bot.services import checkins, relations
from bot.services.delivery import drain_outbox
from bot.services.roster import import_roster
from bot.store.models import ChatAccount, Checkin, Child, ChildRelation, OutboxMessage, Person, Task
from tests.support.botapi_double import BotApiDouble
from tests.support.e2e import button, labels, running_bot, to_chat
from tests.support.fakes import FakeSender
from tests.support.school import grant_consent, tiny_school

SHEET = "留守儿童花名册"
YANG = 2  # row of 杨秀云: guardian 张强 13800136956
FRIDAY_18 = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)  # Friday 18:00 school time
ZHANG_TG = 8_200_000_000_501
HELPER_TG = 8_100_000_000_501
ZONE = "Asia/Shanghai"


def _edited(sample: Path, tmp_path: Path, changes: dict[str, str]) -> Path:
    wb = openpyxl.load_workbook(sample)
    ws = wb[SHEET]
    col = {c.value: c.column for c in ws[1]}
    for heading, value in changes.items():
        ws.cell(YANG, col[heading]).value = value
    path = tmp_path / "new-guardian.xlsx"
    wb.save(path)
    return path


def _student_no(sample: Path) -> str:
    ws = openpyxl.load_workbook(sample)[SHEET]
    col = {c.value: c.column for c in ws[1]}
    return str(ws.cell(YANG, col["学籍号"]).value)


def _setup(bot, sample: Path, now: datetime) -> tuple[int, int, int]:
    """Import the sample school; bind 张强 and 杨秀云's helper teacher on Telegram. Returns (child, 张强, helper)."""
    with bot.uow() as uow:
        import_roster(uow, sample, now=now, default_timezone=ZONE)
    no = _student_no(sample)
    with bot.uow() as uow:
        s = uow.session
        child = s.scalar(select(Child).where(Child.student_no == no))
        guardian = s.scalar(select(ChildRelation.person_id).where(
            ChildRelation.child_id == child.id, ChildRelation.kind == RelationKind.ENTRUSTED_GUARDIAN.value))
        helper = s.scalar(select(ChildRelation.person_id).where(
            ChildRelation.child_id == child.id, ChildRelation.kind == RelationKind.HELPER_TEACHER.value))
        assert s.get(Person, guardian).name == "张强" and helper is not None
        s.add_all([
            ChatAccount(person_id=guardian, channel="telegram", account_id=str(ZHANG_TG), bound_at=now),
            ChatAccount(person_id=helper, channel="telegram", account_id=str(HELPER_TG), bound_at=now),
        ])
        grant_consent(s, child.id)  # the school entered 张强's signed paper form
        uow.commit()
        return child.id, guardian, helper


async def test_a_guardian_removed_from_the_roster_cannot_ask_for_help_and_gets_no_reminder(
    botapi: BotApiDouble, database_url: str, clock, sample_roster: Path, tmp_path: Path
) -> None:
    async with running_bot(botapi, database_url, clock) as bot:
        child_id, zhang, helper = _setup(bot, sample_roster, clock.now())
        clock.set(FRIDAY_18)
        await bot.tick()
        [question] = [m for m in to_chat(botapi.take_sent(), ZHANG_TG) if "杨秀云" in m.text]
        assert question.text == "杨秀云这周过得怎么样？" and labels(question) == ["很好", "一般", "需要帮助"]

        # Saturday morning the school re-imports the roster: 杨秀云's guardian is now 王兰.
        clock.advance(timedelta(hours=15))
        with bot.uow() as uow:
            report = import_roster(uow, _edited(sample_roster, tmp_path, {"委托监护人姓名": "王兰"}), now=clock.now(),
                                   default_timezone=ZONE)
        assert report.relations.removed >= 1

        [refused] = await bot.press(ZHANG_TG, button(question, "需要帮助"), 1)
        assert refused.text == "您已不再登记为杨秀云的委托监护人，这次联系已关闭。如有疑问，请联系学校。"
        await bot.tick()
        assert [m.text for m in to_chat(botapi.take_sent(), HELPER_TG) if "杨秀云" in m.text] == []

        # 48 h after the question: no reminder; 96 h: no task to phone him.
        for hours in (48, 96):
            clock.set(FRIDAY_18 + timedelta(hours=hours, minutes=1))
            await bot.tick()
            assert [m.text for m in to_chat(botapi.take_sent(), ZHANG_TG) if "杨秀云" in m.text] == []
        with bot.uow() as uow:
            s = uow.session
            assert s.scalars(select(Task).where(Task.child_id == child_id, Task.about_person_id == zhang,
                                                Task.done_at.is_(None))).all() == []
            checkin = s.scalar(select(Checkin).where(Checkin.child_id == child_id, Checkin.guardian_id == zhang))
            assert checkin.answer is None


async def test_a_check_in_question_queued_for_a_removed_guardian_is_never_sent(
    botapi: BotApiDouble, database_url: str, clock, sample_roster: Path, tmp_path: Path
) -> None:
    async with running_bot(botapi, database_url, clock) as bot:
        child_id, zhang, _helper = _setup(bot, sample_roster, clock.now())
        clock.set(FRIDAY_18)
        with bot.uow() as uow:  # the planner ran, the drain has not yet
            assert checkins.plan_checkins(uow, now=clock.now(), settings=bot.container.settings) > 0
            uow.commit()
        with bot.uow() as uow:
            import_roster(uow, _edited(sample_roster, tmp_path, {"委托监护人姓名": "王兰"}), now=clock.now(),
                          default_timezone=ZONE)
        await bot.tick()
        assert [m.text for m in to_chat(botapi.take_sent(), ZHANG_TG) if "杨秀云" in m.text] == []
        with bot.uow() as uow:
            [row] = uow.session.scalars(select(OutboxMessage).where(
                OutboxMessage.person_id == zhang, OutboxMessage.key.like(f"checkin:{child_id}:%"))).all()
            assert row.sent_at is None and row.cancelled_at is not None


# --- the same rules, one service at a time (tiny school: 张奶奶 looks after 张小明, 李老师 is his helper) ------------

SETTINGS = Settings(database_url="sqlite://")


def _guardian_removed(uow_factory, ids, now: datetime, *, roster: bool) -> None:
    """张奶奶 stops being 张小明's guardian: through the roster import's hook, or by any other change of the row."""
    with uow_factory() as uow:
        uow.session.execute(delete(ChildRelation).where(
            ChildRelation.child_id == ids.child, ChildRelation.person_id == ids.guardian))
        if roster:
            relations.relations_ended(uow.session, [(ids.child, RelationKind.ENTRUSTED_GUARDIAN.value, ids.guardian)],
                                      now=now)
        uow.commit()


def test_a_phone_task_about_a_removed_guardian_is_closed_with_its_unsent_message(uow_factory) -> None:
    ids = tiny_school(uow_factory)
    with uow_factory() as uow:  # Friday's check-in went unanswered for 96 h: the helper teacher must phone her
        checkins.plan_checkins(uow, now=FRIDAY_18, settings=SETTINGS)
        checkins.remind_checkins(uow, now=FRIDAY_18 + timedelta(hours=48), settings=SETTINGS)
        checkins.remind_checkins(uow, now=FRIDAY_18 + timedelta(hours=96), settings=SETTINGS)
        uow.commit()
    with uow_factory() as uow:
        [task] = uow.session.scalars(select(Task)).all()
        assert (task.kind, task.about_person_id, task.done_at) == (TaskKind.PHONE_GUARDIAN.value, ids.guardian, None)
    # The helper teacher's phone was off; meanwhile the roster names another guardian.
    _guardian_removed(uow_factory, ids, FRIDAY_18 + timedelta(hours=97), roster=True)
    sender = FakeSender()
    asyncio.run(drain_outbox(uow_factory, {"telegram": sender}, now=FRIDAY_18 + timedelta(hours=97),
                             settings=SETTINGS))
    assert sender.to(f"tg-{ids.helper}") == []  # "please phone 张奶奶" never arrives
    with uow_factory() as uow:
        [task] = uow.session.scalars(select(Task)).all()
        assert task.cancelled_at is not None and task.done_at is not None


def test_a_relation_removed_any_other_way_stops_the_reminder_when_it_is_due(uow_factory) -> None:
    ids = tiny_school(uow_factory)
    with uow_factory() as uow:
        checkins.plan_checkins(uow, now=FRIDAY_18, settings=SETTINGS)
        uow.commit()
    _guardian_removed(uow_factory, ids, FRIDAY_18 + timedelta(hours=1), roster=False)
    with uow_factory() as uow:
        assert checkins.remind_checkins(uow, now=FRIDAY_18 + timedelta(hours=48), settings=SETTINGS) == 0
        assert checkins.remind_checkins(uow, now=FRIDAY_18 + timedelta(hours=96), settings=SETTINGS) == 0
        uow.commit()
    with uow_factory() as uow:
        checkin = uow.session.scalar(select(Checkin))
        assert checkin.cancelled_at is not None and checkin.reminded_at is None
        assert uow.session.scalars(select(Task)).all() == []
        assert uow.session.scalar(select(OutboxMessage).where(OutboxMessage.key.like("checkin-reminder:%"))) is None


def test_a_note_after_the_relation_ended_is_refused_and_reaches_no_teacher(uow_factory) -> None:
    ids = tiny_school(uow_factory)
    with uow_factory() as uow:
        checkins.plan_checkins(uow, now=FRIDAY_18, settings=SETTINGS)
        uow.commit()
    with uow_factory() as uow:
        checkin = uow.session.scalar(select(Checkin)).id
        assert checkins.record_checkin_answer(uow, guardian_id=ids.guardian, checkin_id=checkin,
                                              answer="so_so", now=FRIDAY_18) is checkins.AnswerResult.RECORDED
        uow.commit()
    _guardian_removed(uow_factory, ids, FRIDAY_18 + timedelta(minutes=2), roster=True)
    with uow_factory() as uow:
        result = checkins.record_checkin_note(uow, guardian_id=ids.guardian, checkin_id=checkin,
                                              note="孩子发烧两天了", now=FRIDAY_18 + timedelta(minutes=3))
        assert result is checkins.AnswerResult.ENDED
        assert render(checkins.ended_prompt(uow, checkin), "zh_Hans").text == (
            "您已不再登记为张小明的委托监护人，这次联系已关闭。如有疑问，请联系学校。")
        uow.commit()
    with uow_factory() as uow:
        assert uow.session.get(Checkin, checkin).follow_up_text is None
        assert uow.session.scalars(select(OutboxMessage.key).where(
            OutboxMessage.person_id.in_([ids.helper, ids.teacher]))).all() == []
