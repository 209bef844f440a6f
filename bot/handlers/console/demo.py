"""``guanai demo``: the sample school, chatting in the terminal.

Every person of the imported school gets a console account, so messages the
scheduler sends (check-ins, reminders, the incident chain) are printed with
their recipient, and the demo person can switch to any of them with
``:as NAME`` to answer. ``:wait 30m`` moves the demo clock forward (the
scheduler then acts as if that time had passed: reminders, escalation
deadlines), so the whole programme can be tried in minutes. Input may come
from a pipe, one message per line, which makes a demo scriptable.

The composition root (``bot.bootstrap.make_demo``) wires a :class:`Demo`; the
database is reached only through :mod:`bot.services.demo`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Awaitable, Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, TextIO

from bot.config import Settings
from bot.domain.enums import Channel
from bot.flows.runner import Flows
from bot.handlers.console.channel import ConsoleSender, ConsoleSession, render_text
from bot.i18n import gettext, render
from bot.messages.labels import ROLE_LABELS
from bot.messages.prompt import N_, Prompt, dt, text
from bot.services import demo as demo_service
from bot.services.demo import Persona
from bot.services.invites import AmbiguousPerson, PersonNotFound
from bot.services.ports import Sender, UowFactory

log = logging.getLogger(__name__)

_WAIT = re.compile(r"^(\d{1,4})\s*([mhd]|min|分钟|小时|天)$")
_WAIT_STEP = timedelta(minutes=5)
_WAIT_STEP_LONG = timedelta(hours=1)
_UNITS = {"m": 60, "min": 60, "分钟": 60, "h": 3600, "小时": 3600, "d": 86400, "天": 86400}
MAX_WAIT = timedelta(days=400)
"""The longest ``:wait``: a school year and a little more (the demo ticks through it hour by hour)."""

WAIT_USAGE = N_("Use :wait with a duration such as 30m, 2h or 1d.")
WAIT_TOO_LONG = N_("The demo clock moves at most {days} days at a time (about a school year). "
                   "Use a shorter :wait, for example 30d.")

Tick = Callable[[Mapping[str, Sender]], Awaitable[Any]]
"""Runs one scheduler tick with the given senders (``bot.bootstrap.tick``)."""


class DemoClock:
    """The machine's clock plus an offset that ``:wait`` grows (UTC).

    Args:
        start: the demo's time at start-up (aware), or None for now.
    """

    def __init__(self, start: datetime | None = None) -> None:
        self._offset = (start - datetime.now(UTC)) if start else timedelta()

    def now(self) -> datetime:
        """The demo's current time (aware UTC)."""
        return datetime.now(UTC) + self._offset

    def advance(self, delta: timedelta) -> None:
        """Move the demo's time forward by ``delta``."""
        self._offset += delta


def account_of(person_id: int) -> str:
    """The console account id of a person in the demo."""
    return demo_service.console_account(person_id)


def recipient_labels(people: Iterable[Persona], locale: str) -> dict[str, str]:
    """Console account id → "name (role)" in ``locale``, for the lines that show who a message went to."""
    labels: dict[str, str] = {}
    for person in people:
        role = gettext(locale, ROLE_LABELS[person.roles[0]]) if person.roles else ""
        labels[account_of(person.person_id)] = (
            render(Prompt(N_("{name} ({role})"), {"name": text(person.name), "role": text(role)}), locale).text
            if role else person.name
        )
    return labels


class DemoSender(ConsoleSender):
    """Prints each outgoing message under its recipient's name and role.

    Every message is printed in full, whoever it is for: a line cut short
    ("王老师回复了您的留言： …") hides what the demo is meant to show.

    Args:
        stream: where to print.
        labels: console account id → recipient label (:func:`recipient_labels`).
    """

    def __init__(self, stream: TextIO, labels: dict[str, str]) -> None:
        super().__init__(stream)
        self.labels = labels
        self.current_account = ""
        self.closed = False

    async def send(self, account_id: str, prompt: Prompt, locale: str, timezone: str) -> None:
        """Print ``prompt`` under its recipient's label."""
        who = self.labels.get(account_id, account_id)
        body = render_text(prompt, locale, timezone)
        try:
            self.stream.write(f"[→ {who}]\n{body}\n\n")
            self.stream.flush()
        except BrokenPipeError:
            # Nobody reads any more (``guanai demo | head``): the demo's next line of its own ends it quietly.
            self.closed = True


class Demo:
    """The demo loop: lines in, replies and scheduled messages out.

    Args:
        flows: the flow runner.
        uow_factory: units of work on the demo database (for ``:as`` and ``:who``).
        clock: the :class:`DemoClock` that ``:wait`` moves.
        settings: the default locale and zone.
        tick: runs one scheduler tick with the given senders; the demo runs it every
            ``settings.tick_seconds`` in the background, and after every line.
        out: where everything is printed.
        persona: who the demo person is at the start.
        labels: account id → recipient label for the sender.
    """

    def __init__(self, *, flows: Flows, uow_factory: UowFactory, clock: DemoClock, settings: Settings, tick: Tick,
                 out: TextIO, persona: Persona, labels: dict[str, str]) -> None:
        self.flows = flows
        self.uow_factory = uow_factory
        self.clock = clock
        self.settings = settings
        self._tick = tick
        self.out = out
        self.persona = persona
        self.sender = DemoSender(out, labels)
        self.sender.current_account = account_of(persona.person_id)
        self.senders: dict[str, Sender] = {Channel.CONSOLE.value: self.sender}
        self.lock = asyncio.Lock()  # one tick or one message at a time: output stays in order
        self.locale = settings.default_locale

    def say(self, message_id: str, **params: object) -> None:
        """Print a message of the demo itself in the demo's language."""
        self.out.write(render(Prompt(message_id, dict(params)), self.locale, self.settings.timezone).text + "\n\n")
        self.out.flush()

    async def tick(self) -> None:
        """One scheduler tick, in turn with the typed messages."""
        async with self.lock:
            await self._tick(self.senders)

    def _roles(self, roles: tuple[str, ...]) -> str:
        return "、".join(gettext(self.locale, ROLE_LABELS[r]) for r in roles if r in ROLE_LABELS)

    def introduce(self) -> None:
        """Say who the demo person is now."""
        self.say(N_("You are now {name} ({roles}). Type /help to see what you can do."),
                 name=text(self.persona.name), roles=text(self._roles(self.persona.roles) or "—"))

    async def handle_line(self, line: str) -> bool:
        """Handle one input line; False when the demo should end."""
        line = line.strip()
        if not line:
            return True
        if line in ("/quit", "/exit", "退出", ":quit", ":q"):
            return False
        if line == ":as" or line.startswith(":as "):
            self.switch(line[3:].strip())
            return True
        if line.startswith(":wait"):
            await self.wait(line[5:].strip())
            return True
        if line == ":who":
            self.say(N_("Try :as with one of: {names}"), names=text(self.sample_names()))
            return True
        async with self.lock:
            session = ConsoleSession(self.flows, account_of(self.persona.person_id), self.out)
            await asyncio.to_thread(session.send_line, line)
        await self.tick()
        return True

    def switch(self, query: str) -> None:
        """``:as NAME``: act as someone else from now on."""
        if not query:
            self.say(N_("Try :as with one of: {names}"), names=text(self.sample_names()))
            return
        try:
            with self.uow_factory() as uow:
                self.persona = demo_service.find_persona(uow, query)
        except PersonNotFound:
            self.say(N_("Nobody called {name} in the demo school."), name=text(query))
            return
        except AmbiguousPerson as exc:
            options = "; ".join(
                f"#{c.id} {c.name}（{self._roles(c.roles)}）{c.masked_phone or ''}" for c in exc.candidates
            )
            self.say(N_("Several people match {name}: {options}. Use :as #id."), name=text(query),
                     options=text(options))
            return
        self.sender.current_account = account_of(self.persona.person_id)
        self.introduce()

    async def wait(self, amount: str) -> None:
        """``:wait 30m``: move the demo clock on, ticking as a running scheduler would (at most :data:`MAX_WAIT`)."""
        match = _WAIT.match(amount or "")
        if not match:
            self.say(WAIT_USAGE)
            return
        delta = timedelta(seconds=int(match.group(1)) * _UNITS[match.group(2)])
        if delta > MAX_WAIT:
            self.say(WAIT_TOO_LONG, days=MAX_WAIT.days)
            return
        # Step through the time as a running scheduler would, so reminders and deadlines
        # happen in their order instead of all at the end of a long jump.
        step = _WAIT_STEP if delta <= timedelta(hours=12) else _WAIT_STEP_LONG
        while delta > timedelta(0):
            self.clock.advance(min(step, delta))
            delta -= step
            await self.tick()
        self.say(N_("Demo time is now {now}."), now=dt(self.clock.now()))

    def sample_names(self) -> str:
        """Names to suggest for ``:as``, one per role."""
        with self.uow_factory() as uow:
            return "、".join(demo_service.sample_names(uow))

    async def _tick_in_background(self) -> None:
        """The scheduler of the demo: a tick every ``settings.tick_seconds`` while the person types."""
        while True:
            await asyncio.sleep(self.settings.tick_seconds)
            await self.tick()

    async def run(self, lines: Iterable[str], interactive: bool) -> None:
        """Read lines until they end or ``/quit``, with the scheduler ticking in the background.

        The background ticks are an asyncio task the demo owns and stops itself,
        so ending the demo (input ended, ``/quit``, nobody reading its output)
        never leaves a tick half-reported.
        """
        ticker = asyncio.create_task(self._tick_in_background())
        try:
            self.introduce()
            self.say(N_("Demo commands: :as NAME (act as someone else), :wait 30m (move the clock on), :who, /quit."))
            await self.tick()
            iterator = iter(lines)
            while True:
                if interactive:
                    self.out.write("> ")
                    self.out.flush()
                line = await asyncio.to_thread(next, iterator, None)
                if line is None:
                    break
                if not interactive and line.strip():
                    self.out.write(f"> {line.strip()}\n")
                if not await self.handle_line(line):
                    break
            await self.tick()
        finally:
            ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await ticker
