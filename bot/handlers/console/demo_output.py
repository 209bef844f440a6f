"""What the terminal demo prints of the messages the bot sends: yours in full, others' in a line.

A school sends many messages at once — every teacher's digest at start-up,
about 120 check-ins on Friday at 18:00 — and printed whole they bury the chat
the demo person is having (a new-user trial scrolled past ~450 lines). So:

* messages to the person the demo acts as are printed in full, as they come;
* messages to others that the last typed line caused (the grandfather's alert
  after ``报告 杨秀云``, the reply that reaches him) are printed in full too,
  when there are few of them (:data:`DIRECT_SHOWN`): they show what the line did;
* everything else is counted and summed up in one line
  (``（另有 118 条消息发给其他人…）``); ``:as NAME`` then shows that person's
  latest messages in the order they arrived, and ``:all`` prints every message.

The handler prints nothing of its own here: the one-line summary is worded by
:class:`bot.handlers.console.demo.Demo`, in the demo person's language.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable
from typing import TextIO

from bot.handlers.console.channel import ConsoleSender, render_text
from bot.i18n import gettext, render
from bot.messages.labels import ROLE_LABELS
from bot.messages.prompt import N_, Prompt, text
from bot.services import demo as demo_service
from bot.services.demo import Persona

DIRECT_SHOWN = 10
"""Messages to others caused by one typed line that are still printed in full (an incident's first alerts)."""
UNREAD_KEPT = 5
"""Per person, the latest messages kept for ``:as`` to show (older ones are only counted)."""


def recipient_labels(people: Iterable[Persona], locale: str) -> dict[str, str]:
    """Console account id → "name (role)" in ``locale``, for the lines that show who a message went to."""
    labels: dict[str, str] = {}
    for person in people:
        role = gettext(locale, ROLE_LABELS[person.roles[0]]) if person.roles else ""
        labels[demo_service.console_account(person.person_id)] = (
            render(Prompt(N_("{name} ({role})"), {"name": text(person.name), "role": text(role)}), locale).text
            if role else person.name
        )
    return labels


class DemoSender(ConsoleSender):
    """Prints each outgoing message under its recipient's name and role, or counts it (see the module).

    Args:
        stream: where to print.
        people: everyone of the demo school (each label is worded in its message's language: :meth:`label`).
        locale: the demo's language at the start.
    """

    def __init__(self, stream: TextIO, people: list[Persona], locale: str) -> None:
        super().__init__(stream)
        self.people = people
        self.names = {demo_service.console_account(p.person_id): p.name for p in people}
        self._labels: dict[str, dict[str, str]] = {locale: recipient_labels(people, locale)}
        self.current_account = ""
        self.show_all = False
        self.closed = False
        self._batch: list[tuple[str, str]] | None = None  # others' messages of the tick running: (account, block)
        self._direct = False
        self.held = 0  # others' messages not printed since the last summary line
        self.held_names: list[str] = []  # the first few of their recipients, for the summary line
        self._unread: dict[str, deque[tuple[str, bool]]] = {}  # account → (block, printed) of its latest messages
        self._older: Counter[str] = Counter()  # account → unread messages no longer kept

    async def send(self, account_id: str, prompt: Prompt, locale: str, timezone: str) -> None:
        """Print ``prompt`` under its recipient's label, or keep it for the summary and ``:as``."""
        # The label in the recipient's language, as the message under it: a message kept for ``:as`` and shown
        # later, after the demo person changed language, is one language throughout (issue 9 re-trial).
        block = f"[→ {self.label(account_id, locale)}]\n{render_text(prompt, locale, timezone)}\n\n"
        if account_id == self.current_account:
            self.write(block)
            return
        if self.show_all:
            self._remember(account_id, block, printed=True)
            self.write(block)
        elif self._batch is not None:
            self._batch.append((account_id, block))
        else:
            self._hold(account_id, block)

    def label(self, account_id: str, locale: str) -> str:
        """"name (role)" of a recipient in ``locale`` (the language of the message it heads)."""
        if locale not in self._labels:
            self._labels[locale] = recipient_labels(self.people, locale)
        return self._labels[locale].get(account_id, account_id)

    def write(self, chunk: str) -> None:
        """Print ``chunk``; a reader gone away (``guanai demo | head``) ends the demo quietly instead."""
        try:
            self.stream.write(chunk)
            self.stream.flush()
        except BrokenPipeError:
            self.closed = True

    def begin(self, *, direct: bool) -> None:
        """A tick starts; ``direct``: it runs right after a typed line, so its messages are that line's doing."""
        self._batch, self._direct = [], direct

    def end(self) -> None:
        """The tick ended: its messages to others are printed (a line's few) or held for the summary."""
        batch, self._batch = self._batch or [], None
        shown = self._direct and len(batch) <= DIRECT_SHOWN
        for account_id, block in batch:
            if shown:
                self._remember(account_id, block, printed=True)
                self.write(block)
            else:
                self._hold(account_id, block)

    def take_summary(self) -> tuple[int, list[str]]:
        """How many messages to others were held since the last call, and a few of their recipients."""
        held, names = self.held, self.held_names
        self.held, self.held_names = 0, []
        return held, names

    def unread(self, account_id: str) -> tuple[list[str], int]:
        """``account_id``'s messages not all seen yet (latest first kept), and how many older ones were not kept.

        Empty when every one of them was printed as it came. Reading them clears them.
        """
        kept = self._unread.pop(account_id, deque())
        older = self._older.pop(account_id, 0)
        if older == 0 and all(printed for _block, printed in kept):
            return [], 0
        return [block for block, _printed in kept], older

    def _hold(self, account_id: str, block: str) -> None:
        self.held += 1
        name = self.names.get(account_id, account_id)
        if len(self.held_names) < 3 and name not in self.held_names:
            self.held_names.append(name)
        self._remember(account_id, block, printed=False)

    def _remember(self, account_id: str, block: str, *, printed: bool) -> None:
        kept = self._unread.setdefault(account_id, deque(maxlen=UNREAD_KEPT))
        if len(kept) == UNREAD_KEPT:
            self._older[account_id] += 1
        kept.append((block, printed))
