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
from bot.handlers.console.channel import ConsoleSession
from bot.handlers.console.demo_output import DemoSender
from bot.i18n import gettext, render
from bot.messages.labels import ROLE_LABELS
from bot.messages.prompt import N_, Prompt, dt, plural, text
from bot.services import demo as demo_service
from bot.services.demo import Persona
from bot.services.invites import AmbiguousPerson, PersonCandidate, PersonNotFound
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


DEMO_HELP = N_("Demo commands (they are not sent to the bot):")
DEMO_HELP_LINES = (
    N_(":as NAME or :as #id — act as someone else (:who suggests names)"),
    N_(":wait 30m, :wait 2h, :wait 3d — move the demo clock on: reminders, deadlines and check-ins happen"),
    N_(":all — print every message in full; :mine — only yours, others' summed up in one line"),
    N_(":help — this list; /help — what the bot can do for the person you are"),
    N_(":quit or /quit — leave the demo"),
)
UNKNOWN_META = N_("{command} is no demo command.")
UNREAD = N_("Messages {name} received while you were someone else ({count}, oldest first):")
ALL_ON = N_("Every message is printed in full from now on (:mine: only yours).")
ALL_OFF = N_("Only your messages are printed in full from now on; others' are summed up in one line (:all: every "
             "message).")
_ABOUT_SHOWN = 3  # children (or classes) named per namesake in :as
_META = re.compile(r"^:([A-Za-z]+)\s*(.*)$")


class Demo:
    """The demo loop: lines in, replies and scheduled messages out.

    The demo's own lines are in the language of the person it acts as (their
    ``/lang``, else their school's: ``--lang`` sets the school's); each
    message's "[→ name (role)]" label is in the language of the message under
    it, so a message shown later by ``:as`` reads in one language.

    Args:
        flows: the flow runner.
        uow_factory: units of work on the demo database (for ``:as`` and ``:who``).
        clock: the :class:`DemoClock` that ``:wait`` moves.
        settings: the default locale and zone.
        tick: runs one scheduler tick with the given senders; the demo runs it every
            ``settings.tick_seconds`` in the background, and after every line.
        out: where everything is printed.
        persona: who the demo person is at the start.
        people: everyone of the demo school (for the labels of their messages).
        show_all: print every message in full from the start (``:all``).
    """

    def __init__(self, *, flows: Flows, uow_factory: UowFactory, clock: DemoClock, settings: Settings, tick: Tick,
                 out: TextIO, persona: Persona, people: list[Persona], show_all: bool = False) -> None:
        self.flows = flows
        self.uow_factory = uow_factory
        self.clock = clock
        self.settings = settings
        self._tick = tick
        self.out = out
        self.persona = persona
        self.locale = settings.default_locale
        self.sender = DemoSender(out, people, self.locale)
        self.sender.show_all = show_all
        self.sender.current_account = account_of(persona.person_id)
        self.senders: dict[str, Sender] = {Channel.CONSOLE.value: self.sender}
        self.lock = asyncio.Lock()  # one tick or one message at a time: output stays in order
        self.choosing: list[PersonCandidate] = []  # namesakes of an ambiguous :as, until one is chosen
        self._waiting = False  # a :wait runs: its summary line comes at its end
        self._follow_language()

    def say(self, message_id: str, **params: object) -> None:
        """Print a message of the demo itself in the demo person's language."""
        self.sender.write(render(Prompt(message_id, dict(params)), self.locale, self.settings.timezone).text + "\n\n")

    async def tick(self, *, direct: bool = False, summary: bool = False) -> None:
        """One scheduler tick, in turn with the typed messages.

        Args:
            direct: it runs right after a typed line (its few messages to others are printed).
            summary: end with the line that sums up the messages to others held back.
        """
        async with self.lock:
            await self._tick_held(direct=direct, summary=summary)

    async def _tick_held(self, *, direct: bool, summary: bool) -> None:
        """:meth:`tick` with the lock already held."""
        self.sender.begin(direct=direct)
        try:
            await self._tick(self.senders)
        finally:
            self.sender.end()
        if summary:
            self.summary()

    def summary(self) -> None:
        """"(118 more messages went to others …)", when any were held back since the last such line."""
        count, names = self.sender.take_summary()
        if count:
            message_id, params = plural(
                "({count} more message went to others, such as {names}: :as NAME shows theirs, :all prints every "
                "message.)",
                "({count} more messages went to others, such as {names}: :as NAME shows theirs, :all prints every "
                "message.)", count, count=count, names=[text(n) for n in names])
            self.say(message_id, **params)

    def _roles(self, roles: tuple[str, ...]) -> str:
        return self._joiner().join(gettext(self.locale, ROLE_LABELS[r]) for r in roles if r in ROLE_LABELS)

    def _joiner(self) -> str:
        """The list separator of the demo's language: 、 in Chinese, a comma in English."""
        return "、" if self.locale.startswith("zh") else ", "

    def _follow_language(self, locale: str | None = None) -> None:
        """Speak ``locale`` (else the demo person's stored language) from now on."""
        if locale is None:
            with self.uow_factory() as uow:
                locale = demo_service.person_locale(uow, self.persona.person_id) or self.settings.default_locale
        self.locale = locale

    def introduce(self) -> None:
        """Say who the demo person is now, and show the messages they received while they were not."""
        self.say(N_("You are now {name} ({roles}). Type /help to see what you can do."),
                 name=text(self.persona.name), roles=text(self._roles(self.persona.roles) or "—"))
        kept, older = self.sender.unread(account_of(self.persona.person_id))
        if kept:
            self.say(UNREAD, name=text(self.persona.name), count=len(kept) + older)
            if older:
                message_id, params = plural("… and {count} earlier one, not shown.",
                                            "… and {count} earlier ones, not shown.", older, count=older)
                self.say(message_id, **params)
            self.sender.write("".join(kept))

    async def handle_line(self, line: str) -> bool:
        """Handle one input line; False when the demo should end."""
        line = line.strip()
        if not line:
            return True
        if line in ("/quit", "/exit", "退出"):
            return False
        meta = _META.match(line)
        if meta:
            return await self.meta(meta.group(1).lower(), meta.group(2).strip())
        if self.choosing:  # nothing goes out as the previous person while an :as is unresolved
            self.pick(line)
            return True
        async with self.lock:  # the line and the tick that sends what it caused, with no background tick between
            session = ConsoleSession(self.flows, account_of(self.persona.person_id), self.out)
            reply = await asyncio.to_thread(session.send_line, line)
            self._follow_language(reply.locale)  # after /lang, the demo speaks the new language too
            await self._tick_held(direct=True, summary=True)
        return True

    async def meta(self, command: str, arg: str) -> bool:
        """A demo command (``:as``, ``:wait`` …): never sent to the bot; False for ``:quit``."""
        if command in ("quit", "q", "exit"):
            return False
        if command == "as":
            self.switch(arg)
        elif command == "wait":
            await self.wait(arg)
        elif command == "who":
            self.say(N_("Try :as with one of: {names}"), names=text(self.sample_names()))
        elif command in ("all", "mine"):
            self.sender.show_all = command == "all"
            self.say(ALL_ON if self.sender.show_all else ALL_OFF)
        else:
            if command not in ("help", "h"):
                self.say(UNKNOWN_META, command=text(f":{command}"))
            self.sender.write(render(Prompt(DEMO_HELP, lines=tuple((m, {}) for m in DEMO_HELP_LINES)),
                                     self.locale).text + "\n\n")
        if self.choosing and command not in ("as", "quit"):
            self.ask_who()
        return True

    def switch(self, query: str) -> None:
        """``:as NAME``: act as someone else from now on (namesakes: asked until one is chosen)."""
        self.choosing = []
        if not query:
            self.say(N_("Try :as with one of: {names}"), names=text(self.sample_names()))
            return
        try:
            with self.uow_factory() as uow:
                persona = demo_service.find_persona(uow, query)
        except PersonNotFound:
            self.say(N_("Nobody called {name} in the demo school. You are still {current}."), name=text(query),
                     current=text(self.persona.name))
            return
        except AmbiguousPerson as exc:
            self.choosing = list(exc.candidates)
            self.ask_who(query)
            return
        self.become(persona)

    def become(self, persona: Persona) -> None:
        """Act as ``persona`` from now on, in their language."""
        self.choosing = []
        self.persona = persona
        self.sender.current_account = account_of(persona.person_id)
        self._follow_language()
        self.introduce()

    def ask_who(self, query: str | None = None) -> None:
        """The namesakes of an ambiguous ``:as``, numbered, and "still <the person before>" as the last choice."""
        with self.uow_factory() as uow:
            notes = demo_service.persona_notes(uow, [c.id for c in self.choosing])
        lines: list[tuple[str, dict[str, Any]]] = []
        for number, c in enumerate(self.choosing, start=1):
            about = notes.get(c.id) or []
            about = [*about[:_ABOUT_SHOWN], "…"] if len(about) > _ABOUT_SHOWN else about  # a volunteer has dozens
            lines.append((N_("{number}. #{id} {name} ({roles}) {phone} {about}"), {
                "number": number, "id": c.id, "name": text(c.name), "roles": text(self._roles(c.roles) or "—"),
                "phone": text(c.masked_phone or ""), "about": [text(a) for a in about] if about else "",
            }))
        lines.append((N_("{number}. Stay {name}"), {"number": len(self.choosing) + 1, "name": text(self.persona.name)}))
        head = (N_("Several people are called {name}. Who do you want to be? Reply with the number (or :as #id). "
                   "You are still {current}: nothing is sent until you choose."))
        self.sender.write(render(Prompt(head, {"name": text(query or self.choosing[0].name),
                                              "current": text(self.persona.name)}, lines=tuple(lines)),
                                 self.locale).text + "\n\n")

    def pick(self, line: str) -> None:
        """A line while namesakes are listed: the number of one of them, of "stay", or asked again."""
        number = int(line) if line.isdecimal() else 0
        if 1 <= number <= len(self.choosing):
            with self.uow_factory() as uow:
                persona = demo_service.find_persona(uow, f"#{self.choosing[number - 1].id}")
            self.become(persona)
        elif number == len(self.choosing) + 1:
            self.choosing = []
            self.say(N_("You are still {name}."), name=text(self.persona.name))
        else:
            self.ask_who()

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
        self._waiting = True
        try:
            while delta > timedelta(0):
                self.clock.advance(min(step, delta))
                delta -= step
                await self.tick()
        finally:
            self._waiting = False
        async with self.lock:
            self.summary()
        self.say(N_("Demo time is now {now}."), now=dt(self.clock.now()))

    def sample_names(self) -> str:
        """Names to suggest for ``:as``, one per role."""
        with self.uow_factory() as uow:
            return self._joiner().join(demo_service.sample_names(uow))

    async def _tick_in_background(self) -> None:
        """The scheduler of the demo: a tick every ``settings.tick_seconds`` while the person types."""
        while True:
            await asyncio.sleep(self.settings.tick_seconds)
            await self.tick(summary=not self._waiting)

    async def run(self, lines: Iterable[str], interactive: bool) -> None:
        """Read lines until they end or ``/quit``, with the scheduler ticking in the background.

        The background ticks are an asyncio task the demo owns and stops itself,
        so ending the demo (input ended, ``/quit``, nobody reading its output)
        never leaves a tick half-reported.
        """
        ticker = asyncio.create_task(self._tick_in_background())
        try:
            self.introduce()
            self.say(N_("Demo commands: :as NAME (act as someone else), :wait 30m (move the clock on), :who, "
                        ":all (every message), :help, :quit or /quit."))
            await self.tick(summary=True)
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
            await self.tick(summary=True)
        finally:
            ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await ticker
