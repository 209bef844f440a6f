"""``guanai demo``: the sample school on SQLite, chatting in the terminal.

Every person of the imported school gets a console account, so messages the
scheduler sends (check-ins, reminders, the incident chain) are printed with
their recipient, and the demo person can switch to any of them with
``:as NAME`` to answer. ``:wait 30m`` moves the demo clock forward (the
scheduler then acts as if that time had passed: reminders, escalation
deadlines), so the whole programme can be tried in minutes. Input may come
from a pipe, one message per line, which makes a demo scriptable.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TextIO

from sqlalchemy import select

from bot.bootstrap import Container, make_flow_engine
from bot.domain.enums import Channel, Role
from bot.flows.prompt import N_, Prompt, dt, text
from bot.handlers.console.channel import ConsoleSender, ConsoleSession, render_text
from bot.i18n import gettext, render
from bot.scheduler import make_scheduler, tick
from bot.services.identity import ROLE_LABELS, AmbiguousPerson, PersonNotFound, find_people, sorted_roles
from bot.store.models import ChatAccount, Person, School, SchoolClass

log = logging.getLogger(__name__)

_WAIT = re.compile(r"^(\d{1,4})\s*([mhd]|min|分钟|小时|天)$")
_WAIT_STEP = timedelta(minutes=5)
_WAIT_STEP_LONG = timedelta(hours=1)
_UNITS = {"m": 60, "min": 60, "分钟": 60, "h": 3600, "小时": 3600, "d": 86400, "天": 86400}


class DemoClock:
    """The machine's clock plus an offset that ``:wait`` grows (UTC)."""

    def __init__(self, start: datetime | None = None) -> None:
        self._offset = (start - datetime.now(UTC)) if start else timedelta()

    def now(self) -> datetime:
        return datetime.now(UTC) + self._offset

    def advance(self, delta: timedelta) -> None:
        self._offset += delta


def account_of(person_id: int) -> str:
    """The console account id of a person in the demo."""
    return f"p{person_id}"


class DemoSender(ConsoleSender):
    """Prints each outgoing message under its recipient's name and role.

    Messages to the demo person and questions (anything with choices) are
    printed in full; other people's plain notices (a teacher's morning digest)
    as their first line, so the whole school's traffic stays readable.
    """

    def __init__(self, stream: TextIO, labels: dict[str, str]) -> None:
        super().__init__(stream)
        self.labels = labels
        self.current_account = ""

    async def send(self, account_id: str, prompt: Prompt, locale: str, timezone: str) -> None:
        who = self.labels.get(account_id, account_id)
        body = render_text(prompt, locale, timezone)
        if account_id != self.current_account and not prompt.choices:
            first, _, rest = body.partition("\n")
            body = f"{first} …" if rest else first
        self.stream.write(f"[→ {who}]\n{body}\n\n")
        self.stream.flush()


@dataclass
class Persona:
    person_id: int
    name: str
    roles: tuple[str, ...]


def bind_everyone(container: Container) -> dict[str, str]:
    """Give every person a console account; returns account id → "name (role)" labels."""
    now = container.clock.now()
    labels: dict[str, str] = {}
    locale = container.settings.default_locale
    with container.uow() as uow:
        s = uow.session
        bound = set(s.scalars(select(ChatAccount.person_id).where(ChatAccount.channel == Channel.CONSOLE.value)))
        for person in s.scalars(select(Person).order_by(Person.id)):
            roles = sorted_roles(person.role_set)
            role = gettext(locale, ROLE_LABELS[roles[0]]) if roles else ""
            labels[account_of(person.id)] = (
                render(Prompt(N_("{name} ({role})"), {"name": text(person.name), "role": text(role)}), locale).text
                if role else person.name
            )
            if person.id not in bound:
                s.add(ChatAccount(person_id=person.id, channel=Channel.CONSOLE.value,
                                  account_id=account_of(person.id), bound_at=now))
        uow.commit()
    return labels


def default_persona(container: Container) -> Persona:
    """The class teacher of the first class: the person a demo usually starts as."""
    with container.uow() as uow:
        s = uow.session
        person = s.scalar(
            select(Person).join(SchoolClass, SchoolClass.class_teacher_id == Person.id).order_by(SchoolClass.id)
        ) or s.scalar(select(Person).order_by(Person.id))
        if person is None:
            raise LookupError("the demo school has nobody in it")
        return Persona(person.id, person.name, tuple(sorted_roles(person.role_set)))


def use_locale(container: Container, locale: str) -> None:
    """Make ``locale`` the school's language, so everyone in the demo hears it."""
    with container.uow() as uow:
        for school in uow.session.scalars(select(School)):
            school.locale = locale
        uow.commit()


def find_persona(container: Container, query: str) -> Persona:
    """A person by name, phone or ``#id``.

    Raises:
        PersonNotFound, AmbiguousPerson: as :func:`bot.services.identity.find_people`.
    """
    with container.uow() as uow:
        people = find_people(uow, query)
        if not people:
            raise PersonNotFound(query)
        if len(people) > 1:
            from bot.services.identity import PersonCandidate, mask_phone

            raise AmbiguousPerson(query, [
                PersonCandidate(p.id, p.name, tuple(sorted_roles(p.role_set)), mask_phone(p.phone)) for p in people
            ])
        p = people[0]
        return Persona(p.id, p.name, tuple(sorted_roles(p.role_set)))


class Demo:
    """The demo loop: lines in, replies and scheduled messages out.

    Args:
        container: wired on the demo database with a :class:`DemoClock`.
        out: where everything is printed.
        persona: who the demo person is at the start.
        labels: account id → recipient label for the sender.
    """

    def __init__(self, container: Container, out: TextIO, persona: Persona, labels: dict[str, str]) -> None:
        self.container = container
        self.out = out
        self.persona = persona
        self.engine = make_flow_engine(container)
        self.sender = DemoSender(out, labels)
        self.sender.current_account = account_of(persona.person_id)
        self.senders = {Channel.CONSOLE.value: self.sender}
        self.lock = asyncio.Lock()  # one tick or one message at a time: output stays in order
        self.locale = container.settings.default_locale

    def say(self, message_id: str, **params: object) -> None:
        self.out.write(render(Prompt(message_id, dict(params)), self.locale, self.container.settings.timezone).text + "\n\n")
        self.out.flush()

    async def tick(self) -> None:
        async with self.lock:
            await tick(self.container, self.senders)

    def introduce(self) -> None:
        roles = "、".join(gettext(self.locale, ROLE_LABELS[r]) for r in self.persona.roles) or "—"
        self.say(N_("You are now {name} ({roles}). Type /help to see what you can do."),
                 name=text(self.persona.name), roles=text(roles))

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
            session = ConsoleSession(self.engine, account_of(self.persona.person_id), self.out)
            await asyncio.to_thread(session.send_line, line)
        await self.tick()
        return True

    def switch(self, query: str) -> None:
        if not query:
            self.say(N_("Try :as with one of: {names}"), names=text(self.sample_names()))
            return
        try:
            self.persona = find_persona(self.container, query)
        except PersonNotFound:
            self.say(N_("Nobody called {name} in the demo school."), name=text(query))
            return
        except AmbiguousPerson as exc:
            options = "; ".join(
                f"#{c.id} {c.name}（{'、'.join(gettext(self.locale, ROLE_LABELS[r]) for r in c.roles)}）"
                f"{c.masked_phone or ''}"
                for c in exc.candidates
            )
            self.say(N_("Several people match {name}: {options}. Use :as #id."), name=text(query), options=text(options))
            return
        self.sender.current_account = account_of(self.persona.person_id)
        self.introduce()

    async def wait(self, amount: str) -> None:
        match = _WAIT.match(amount or "")
        if not match:
            self.say(N_("Use :wait with a duration such as 30m, 2h or 1d."))
            return
        delta = timedelta(seconds=int(match.group(1)) * _UNITS[match.group(2)])
        # Step through the time as a running scheduler would, so reminders and deadlines
        # happen in their order instead of all at the end of a long jump.
        step = _WAIT_STEP if delta <= timedelta(hours=12) else _WAIT_STEP_LONG
        while delta > timedelta(0):
            self.container.clock.advance(min(step, delta))  # type: ignore[attr-defined]
            delta -= step
            await self.tick()
        self.say(N_("Demo time is now {now}."), now=dt(self.container.clock.now()))

    def sample_names(self) -> str:
        with self.container.uow() as uow:
            s = uow.session
            names = []
            for role in (Role.CLASS_TEACHER, Role.HELPER_TEACHER, Role.GUARDIAN, Role.PARENT, Role.ADMIN,
                         Role.EDUCATION_BUREAU):
                from bot.store.models import PersonRole

                person = s.scalar(select(Person).join(PersonRole).where(PersonRole.role == role.value)
                                  .order_by(Person.id))
                if person is not None:
                    names.append(person.name)
            return "、".join(names)

    async def run(self, lines: Iterable[str], interactive: bool) -> None:
        scheduler = make_scheduler(self.container, self.senders)
        scheduler.get_job("guanai-tick").modify(func=self.tick, args=(), kwargs={})
        scheduler.start()
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
            scheduler.shutdown(wait=False)
