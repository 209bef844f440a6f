"""End-to-end harness: the whole application against the local Bot API double.

:class:`E2EBot` runs the real python-telegram-bot Application (polling the
double), the real :class:`~bot.flows.runner.FlowRunner` from the composition
root, and the scheduler's :func:`~bot.scheduler.tick` with the real outbox
drain and :class:`~bot.handlers.telegram.TelegramSender`. Time is a
:class:`~bot.domain.clock.ManualClock`: a test advances it and awaits
:meth:`E2EBot.tick` instead of waiting for APScheduler.

The school is :func:`tests.support.school.chain_school`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from bot import bootstrap
from bot.config import load_settings
from bot.domain.clock import ManualClock
from bot.handlers.telegram import telegram_running
from bot.scheduler import TickReport
from bot.scheduler.escalator import Escalator
from bot.scheduler.outbox_sender import OutboxSender
from bot.store.uow import UnitOfWorkFactory
from tests.support.botapi_double import BotApiDouble, SentMessage
from tests.support.school import ChainSchool, chain_school

DIGEST_HEADER = "今天待完成的谈心"  # zh_Hans of the daily digest's first line
FRIDAY_18 = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)  # Friday 18:00 in Asia/Shanghai: the check-in goes out


class E2EBot:
    """The running application: PTB polling the double, the real flow runner, tick on demand.

    Attributes:
        container: the composition root's parts (settings, engine, uow, the manual clock).
        flows: the flow runner (a new one per :func:`running_bot`, like a new process).
        application: the PTB Application.
        senders: what the scheduler's drain sends with (``{"telegram": TelegramSender}``).
    """

    def __init__(self, botapi: BotApiDouble, container: bootstrap.Container, flows: Any, application: Any) -> None:
        self.botapi = botapi
        self.container = container
        self.flows = flows
        self.application = application
        self.senders = {"telegram": bootstrap.make_telegram_sender(application, container.settings)}
        self.sender: OutboxSender | None = None
        self.escalator: Escalator | None = None
        self._school: ChainSchool | None = None

    def wake(self) -> None:
        """Tell the running workers that the (manual) clock moved."""
        for worker in (self.sender, self.escalator):
            if worker is not None:
                worker.wake()

    @property
    def school(self) -> ChainSchool:
        """The school :func:`running_school` loaded (AssertionError under a bare :func:`running_bot`)."""
        assert self._school is not None, "running_bot loads no school: use running_school"
        return self._school

    @property
    def uow(self) -> UnitOfWorkFactory:
        return self.container.uow

    async def tick(self) -> TickReport:
        """One scheduler tick at the clock's time; fails the test when a service raised."""
        report = await bootstrap.tick(self.container, self.senders)
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
        """The next ``expect`` messages, all to ``user``'s chat.

        With the workers running, the outbox sender (woken by the commit that wrote them) sends to other
        chats while the handler replies, so what it sent may reach the double first: only ``user``'s chat is
        waited on, and the others' messages stay for :meth:`BotApiDouble.next_sent`. Without workers nothing
        else sends, so any message to another chat in between fails the test.
        """
        chat = user if self.sender is not None else None
        got = await self.botapi.next_sent(expect, chat_id=chat)
        assert [m.chat_id for m in got] == [user] * expect, got
        return got


@asynccontextmanager
async def running_bot(botapi: BotApiDouble, database_url: str, clock: ManualClock, *, workers: bool = False,
                      **settings_overrides: Any) -> AsyncIterator[E2EBot]:
    """Start the whole application on ``database_url``; stopping it is leaving the block (a process exit).

    With ``workers`` the long-lived outbox sender and escalator run too (as in ``guanai run``):
    messages go out when committed and steps are acted on when due, without a tick
    (``E2EBot.sender``, ``E2EBot.escalator``; :meth:`E2EBot.wake` them after moving the clock).
    The pacer keeps Telegram's overall limit but not the one-second gap per chat, so a conversation
    test does not wait a second before each reply; the pacing tests pass the real gaps
    (``telegram_chat_gap_seconds=1``) with a strict double.
    """
    settings_overrides.setdefault("telegram_chat_gap_seconds", 0)
    settings_overrides.setdefault("recipient_gap_seconds", settings_overrides["telegram_chat_gap_seconds"])
    settings_overrides.setdefault("telegram_group_gap_seconds", 0)
    settings = load_settings(database_url=database_url, telegram_token=botapi.token, telegram_api_url=botapi.api_url,
                             **settings_overrides)
    container = bootstrap.build(settings, clock=clock)
    flows = bootstrap.make_flows(container)
    application = bootstrap.make_telegram_application(container, flows, webhook=False)
    assert application is not None
    try:
        async with telegram_running(application):
            bot = E2EBot(botapi, container, flows, application)
            if not workers:
                yield bot
                return
            bot.sender = bootstrap.make_outbox_sender(container, bot.senders)
            bot.escalator = bootstrap.make_escalator(container)
            tasks = [asyncio.create_task(bot.sender.run()), asyncio.create_task(bot.escalator.run())]
            try:
                yield bot
            finally:
                bot.sender.stop()
                bot.escalator.stop()
                await asyncio.wait_for(asyncio.gather(*tasks), 20)
    finally:
        container.engine.dispose()


@asynccontextmanager
async def running_school(botapi: BotApiDouble, database_url: str, clock: ManualClock, *,
                         unbound: tuple[str, ...] = (), consent: bool = True,
                         change: Callable[[Session, ChainSchool], None] | None = None,
                         **settings_overrides: Any) -> AsyncIterator[E2EBot]:
    """:func:`running_bot` with :func:`~tests.support.school.chain_school` loaded and its first tick done.

    What that tick sent (the teachers' digests on a school day) is taken from the double, so a test starts
    with an empty chat history. The school's ids are ``bot.school``.

    Args:
        change: ``change(session, school)`` edits the school in one committed unit of work before that
            first tick (a second child for the grandfather, English for some people), as an admin's
            edit would before the term starts.
    """
    async with running_bot(botapi, database_url, clock, **settings_overrides) as bot:
        bot._school = chain_school(bot.uow, clock.now(), unbound=unbound, consent=consent)
        if change is not None:
            with bot.uow() as uow:
                change(uow.session, bot._school)
                uow.commit()
        await bot.tick()
        botapi.take_sent()
        yield bot


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


async def friday_checkin(bot: E2EBot, clock: ManualClock, user: int) -> SentMessage:
    """The clock to Friday 18:00 school time and a tick: the one message then sent to ``user``, the check-in.

    Everything else that tick sent is taken from the double too.
    """
    clock.set(FRIDAY_18)
    await bot.tick()
    [question] = to_chat(bot.botapi.take_sent(), user)
    return question
