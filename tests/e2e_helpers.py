"""End-to-end harness: the whole application against the local Bot API double.

:class:`E2EBot` runs the real python-telegram-bot Application (polling the
double), the real :class:`~bot.flows.engine.FlowEngine` from the composition
root, and the scheduler's :func:`~bot.scheduler.tick` with the real outbox
drain and :class:`~bot.handlers.telegram.TelegramSender`. Time is a
:class:`~bot.domain.clock.ManualClock`: a test advances it and awaits
:meth:`E2EBot.tick` instead of waiting for APScheduler.

:func:`make_e2e_school` builds a small synthetic school (every name and number
invented) with the whole contact chain of one child.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot import bootstrap
from bot.config import load_settings
from bot.domain.clock import ManualClock
from bot.domain.enums import Channel, RelationKind, Role
from bot.handlers.telegram import TelegramSender, build_application, telegram_running
from bot.scheduler import tick
from bot.scheduler.jobs import TickReport
from bot.store.models import ChatAccount, Child, ChildRelation, Person, PersonRole, School, SchoolClass
from bot.store.uow import UnitOfWorkFactory
from tests.botapi_double import BotApiDouble, SentMessage

# Telegram user ids (64-bit, as real ones are).
TG = {
    "li": 8_100_000_000_001,  # class teacher of 三年级1班
    "chen": 8_100_000_000_002,  # helper teacher of 张三
    "grandpa": 8_200_000_000_001,  # entrusted guardian of 张三
    "father": 8_200_000_000_002,
    "mother": 8_200_000_000_003,
    "bureau": 8_300_000_000_001,  # education bureau
    "town": 8_300_000_000_002,  # town government
    "admin": 8_300_000_000_003,  # principal (school admin)
}
PHONES = {
    "li": "+8613800000001",
    "chen": "+8613800000002",
    "grandpa": "+8613900000001",
    "father": "+8613900000002",
    "mother": "+8613900000003",
    "bureau": "+8613700000001",
    "town": "+8613700000002",
    "admin": "+8613700000003",
}
DIGEST_HEADER = "今天待完成的谈心"  # zh_Hans of the daily digest's first line


@dataclass(frozen=True)
class E2ESchool:
    """Ids of the rows :func:`make_e2e_school` created; ``people`` maps the keys of :data:`TG` to person ids."""

    school_id: int
    class_id: int
    zhang_san: int
    li_si: int
    people: dict[str, int]

    def __getattr__(self, name: str) -> int:
        try:
            return self.people[name]
        except KeyError:
            raise AttributeError(name) from None


def make_e2e_school(uow_factory: UnitOfWorkFactory, now: datetime, *, unbound: tuple[str, ...] = ()) -> E2ESchool:
    """One school, one class (三年级1班, class teacher 李老师), 张三 with guardian, parents, helper; 李四.

    The school also has an education-bureau contact, a town-government contact and
    a principal. Everyone has a phone and a bound Telegram account (id from
    :data:`TG`) except the keys listed in ``unbound``.
    """
    names = {
        "li": ("李老师", Role.CLASS_TEACHER),
        "chen": ("陈老师", Role.HELPER_TEACHER),
        "grandpa": ("张爷爷", Role.GUARDIAN),
        "father": ("张爸爸", Role.PARENT),
        "mother": ("张妈妈", Role.PARENT),
        "bureau": ("刘科长", Role.EDUCATION_BUREAU),
        "town": ("赵书记", Role.TOWN_GOVERNMENT),
        "admin": ("周校长", Role.ADMIN),
    }
    with uow_factory() as uow:
        s = uow.session
        school = School(name="青山村小学", timezone="Asia/Shanghai", locale="zh_Hans")
        s.add(school)
        s.flush()
        people: dict[str, int] = {}
        for key, (name, role) in names.items():
            person = Person(school_id=school.id, name=name, phone=PHONES[key], natural_key=f"e2e:{key}")
            person.roles = [PersonRole(role=role.value)]
            s.add(person)
            s.flush()
            people[key] = person.id
            if key not in unbound:
                s.add(ChatAccount(person_id=person.id, channel=Channel.TELEGRAM.value,
                                  account_id=str(TG[key]), bound_at=now))
        klass = SchoolClass(school_id=school.id, grade="三年级", name="三年级1班", class_teacher_id=people["li"])
        s.add(klass)
        s.flush()
        zhang = Child(school_id=school.id, class_id=klass.id, name="张三", student_no="E001", grade="三年级")
        li_si = Child(school_id=school.id, class_id=klass.id, name="李四", student_no="E002", grade="三年级")
        s.add_all([zhang, li_si])
        s.flush()
        for kind, key in (
            (RelationKind.ENTRUSTED_GUARDIAN, "grandpa"),
            (RelationKind.FATHER, "father"),
            (RelationKind.MOTHER, "mother"),
            (RelationKind.HELPER_TEACHER, "chen"),
        ):
            s.add(ChildRelation(child_id=zhang.id, kind=kind.value, person_id=people[key]))
        uow.commit()
        return E2ESchool(school.id, klass.id, zhang.id, li_si.id, people)


class E2EBot:
    """The running application: PTB polling the double, the real flow engine, tick on demand.

    Attributes:
        container: the composition root's parts (settings, engine, uow, the manual clock).
        engine: the flow engine (a new one per :func:`running_bot`, like a new process).
        application: the PTB Application.
        senders: what the scheduler's drain sends with (``{"telegram": TelegramSender}``).
    """

    def __init__(self, botapi: BotApiDouble, container: bootstrap.Container, engine: Any, application: Any) -> None:
        self.botapi = botapi
        self.container = container
        self.engine = engine
        self.application = application
        self.senders = {TelegramSender.channel: TelegramSender(application.bot)}

    @property
    def uow(self) -> UnitOfWorkFactory:
        return self.container.uow

    async def tick(self) -> TickReport:
        """One scheduler tick at the clock's time; fails the test when a service raised."""
        report = await tick(self.container, self.senders)
        assert not report.errors, f"tick errors: {report.errors}"
        return report

    async def say(self, user: int, text: str, expect: int) -> list[SentMessage]:
        """``user`` types ``text`` in the private chat; wait for ``expect`` messages, all to that chat."""
        self.botapi.inject_text(user, text)
        return await self.replies(user, expect)

    async def press(self, user: int, data: str, expect: int) -> list[SentMessage]:
        """``user`` presses a button carrying ``data``; wait for ``expect`` messages, all to that chat."""
        self.botapi.inject_callback(user, data)
        return await self.replies(user, expect)

    async def replies(self, user: int, expect: int) -> list[SentMessage]:
        got = await self.botapi.next_sent(expect)
        assert [m.chat_id for m in got] == [user] * expect, got
        return got


@asynccontextmanager
async def running_bot(botapi: BotApiDouble, database_url: str, clock: ManualClock) -> AsyncIterator[E2EBot]:
    """Start the whole application on ``database_url``; stopping it is leaving the block (a process exit)."""
    settings = load_settings(database_url=database_url, telegram_token=botapi.token, telegram_api_url=botapi.api_url)
    container = bootstrap.build(settings, clock=clock)
    engine = bootstrap.make_flow_engine(container)
    application = build_application(botapi.token, engine, api_url=botapi.api_url,
                                    default_locale=settings.default_locale)
    try:
        async with telegram_running(application):
            yield E2EBot(botapi, container, engine, application)
    finally:
        container.engine.dispose()


def button(message: SentMessage, label: str) -> str:
    """The callback_data of the button labelled ``label`` on ``message`` (AssertionError when absent)."""
    for row in message.buttons():
        for shown, data in row:
            if shown == label:
                return data
    raise AssertionError(f"no button {label!r} on {message.text!r}: {message.buttons()!r}")


def labels(message: SentMessage) -> list[str]:
    """The button labels of ``message``, row by row flattened."""
    return [shown for row in message.buttons() for shown, _ in row]


def to_chat(messages: list[SentMessage], user: int, *, digests: bool = False) -> list[SentMessage]:
    """The messages to ``user``'s chat; the daily talk digest left out unless ``digests``."""
    return [m for m in messages if m.chat_id == user and (digests or not (m.text or "").startswith(DIGEST_HEADER))]
