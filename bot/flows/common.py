"""What every flow step gets (:class:`Ctx`) and how it asks a question.

A question is a :class:`~bot.messages.prompt.Prompt` whose choices carry
``f:<version>:<value>``; asking bumps the conversation version, so a button
of an earlier question no longer matches. The values offered are kept in the
conversation so numbered replies ("1", "２") pick only from the current
question.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from bot.config import Settings
from bot.domain.privacy import AuditAction
from bot.domain.roster_cells import typed_text
from bot.messages import payloads
from bot.messages.prompt import N_, Choice, Prompt, text
from bot.services import audit
from bot.services.conversations import ConversationState
from bot.services.identity import Actor
from bot.services.ports import UnitOfWork

MAX_TEXT = 500  # characters of a free-text answer (talk note, incident description): a chat message, not a report


class NotBound(RuntimeError):
    """A flow step that needs the bound person ran for an unbound chat (the runner checks binding first)."""


@dataclass(frozen=True)
class Option:
    """One answer of a question: its label (message id + params) and the value sent back.

    ``typed``: picked only by its button or its words, never by a number
    (an irreversible answer: closing an incident; ``Choice.typed``).
    """

    label: str
    value: str
    params: dict[str, Any] = field(default_factory=dict)
    typed: bool = False


@dataclass
class Ctx:
    """One inbound update being handled.

    Attributes:
        uow: the unit of work of this update (one transaction).
        actor: the bound person, or None.
        conv: the conversation (mutated by the step; saved by the engine).
        now: UTC now.
        settings: deployment settings.
        channel, account_id: where the update came from.
        locale: the language to answer in (a step may change it, e.g. /lang).
        timezone: the school's zone.
        typed: the text of the update as the person typed it ("" for a button): a family member's
            ``报告 杨秀云`` is passed on word for word (:mod:`bot.flows.family_report`).
    """

    uow: UnitOfWork
    actor: Actor | None
    conv: ConversationState
    now: datetime
    settings: Settings
    channel: str
    account_id: str
    locale: str
    timezone: str
    typed: str = ""

    @property
    def person_id(self) -> int | None:
        """The person writing (None: an unbound chat): the reader whose kept-away incidents stay unseen."""
        return self.actor.person_id if self.actor is not None else None

    def bound(self) -> Actor:
        """The bound person writing, for steps the runner only reaches after its binding check.

        Raises:
            NotBound: the chat is not bound (a bug in the dispatch, answered "sorry" by the runner).
        """
        if self.actor is None:
            raise NotBound("this step needs a bound chat")
        return self.actor

    @property
    def values(self) -> dict[str, Any]:
        """The running flow's own values."""
        return self.conv.data.setdefault("v", {})

    def ask(
        self,
        flow: str,
        state: str,
        message_id: str,
        params: dict[str, Any] | None = None,
        options: list[Option] | tuple[Option, ...] = (),
        lines: tuple[tuple[str, dict[str, Any]], ...] = (),
        free_text: bool = False,
        prose: bool = False,
    ) -> Prompt:
        """Move to ``state`` of ``flow`` and return its question.

        Args:
            flow: the flow's name (``talk``, ``incident`` …).
            state: the state the question belongs to.
            message_id: the question.
            params: its parameters.
            options: the answers offered (their values come back in ``f:`` payloads).
            lines: further lines under the question.
            free_text: the state also accepts typed text (a name, a note).
            prose: the typed text is prose (a note, a description): a Chinese
                keyword followed by words (``报告 一切正常``) is then taken as text,
                not as a command; slash commands and a bare keyword still work.
        """
        self.conv.flow = flow
        self.conv.state = state
        self.conv.version += 1
        version = self.conv.version
        prompt = Prompt(
            message_id=message_id,
            params=params or {},
            choices=tuple(Choice(o.label, payloads.flow_choice(version, o.value), o.params, typed=o.typed)
                          for o in options),
            lines=lines,
        )
        self.conv.data["choices"] = [o.value for o in options]
        self.conv.data["typed"] = [o.value for o in options if o.typed]
        self.conv.data["free_text"] = free_text or prose
        self.conv.data["prose"] = prose
        self.conv.data["prompt"] = prompt.to_dict()
        self.conv.data["versions"] = [version]  # the versions its buttons carry (one more when asked again)
        self.conv.data["steps"] = int(self.conv.data.get("steps") or 0) + 1  # questions asked in this flow
        return prompt

    def finish(self) -> None:
        """End the running flow; its buttons stop working (version bump)."""
        self.conv.flow = None
        self.conv.state = None
        self.conv.data = {}
        self.conv.version += 1

    def current_prompt(self) -> Prompt | None:
        """The question the person is answering, to show again after a wrong answer."""
        raw = self.conv.data.get("prompt")
        return Prompt.from_dict(raw) if raw else None


def say(message_id: str, **params: Any) -> Prompt:
    """A plain message without choices."""
    return Prompt(message_id=message_id, params=params)


YES_NO = (Option(N_("Yes"), "yes"), Option(N_("No"), "no"))
# The words people type for a label ("没有" for "否", "收到" for "确认收到") are in bot.flows.words.
STALE = N_("That button belongs to an earlier question; please use the latest message.")
INVALID_BUTTON = N_("That button is no longer valid.")
PICK_ONE = N_("Please choose one of the options (you can also reply with its number).")
TOO_LONG = N_("That is a bit long: please keep it under {limit} characters and send it again.")
EMPTY_TEXT = N_("Please write a few words, or choose Skip.")


REASON_NEEDED = N_("Please write the reason in a few words, so that the school can see later why {name} was not "
                   "told.")
MIN_REASON_LETTERS = 2  # "醉酒", "in hospital": a reason has words; "1", "?", "好" are no reason


def reason_problem(typed: str, name: str | dict[str, Any]) -> Prompt | None:
    """Why a typed reason for leaving ``name`` out of an incident's chain cannot be kept, or None when it can.

    ``name`` is the person's name, or a message parameter (a relation, for a reporter outside the family's circle).

    A number, a sign or a single character is no reason: it was meant for
    another question (the "1" of the list of people), and the timeline must
    show the school's superiors why someone was not told.
    """
    problem = text_problem(typed)
    if problem is not None:
        return problem
    if sum(1 for c in typed if unicodedata.category(c).startswith("L")) < MIN_REASON_LETTERS:
        return Prompt(REASON_NEEDED, {"name": text(name) if isinstance(name, str) else name})
    return None


def text_problem(typed: str) -> Prompt | None:
    """Why a typed note or description cannot be kept (empty, over :data:`MAX_TEXT`), or None when it can."""
    if not typed.strip():
        return say(EMPTY_TEXT)
    if len(typed.strip()) > MAX_TEXT:
        return say(TOO_LONG, limit=MAX_TEXT)
    return None
CANCELLED = N_("Cancelled. Nothing was saved.")


def audit_child(ctx: Ctx, action: AuditAction, child_id: int, **detail: int | str) -> None:
    """Record a read or a change of a child's record by the person in this chat (``bot.services.audit``)."""
    audit.record(ctx.uow, actor_id=ctx.bound().person_id, action=action, child_id=child_id, channel=ctx.channel,
                 now=ctx.now, **detail)


def cleaned(typed: str | None) -> str | None:
    """A message's typed text as every flow sees it: cleaned as the roster import cleans its cells.

    The one place chat text enters (:meth:`bot.flows.runner.FlowRunner.handle`): a NUL, a backspace or a
    terminal escape saved in a talk note would break the xlsx exports; see
    :func:`bot.domain.roster_cells.typed_text`. The zero-width joiners inside an emoji (👨‍👩‍👧) stay.
    """
    if not typed:
        return typed
    out = typed_text(typed)
    # Nothing but invisible characters (a lone zero-width space) still says nothing to answer politely
    # (words.says_nothing: "no question is waiting"), never "didn't understand"; one such mark stands for it.
    return "\u200b" if typed.strip() and not out.strip() else out


ButtonHandler = Callable[..., list[Prompt]]
"""A button's flow step, called ``handler(ctx, *fields)``: the decoded payload's fields in their declared order."""


def on_pressed(ctx: Ctx, pressed: Any, handlers: Mapping[type, ButtonHandler]) -> list[Prompt] | None:
    """Run the flow step registered for a decoded button payload's type (``bot.messages.payloads``).

    An explicit registry instead of a chain of ``isinstance`` checks, shared by
    the runner's own buttons and the family link's, so a new kind of button is
    one line of a table.

    Returns:
        The step's prompts, or None when no handler is registered for that type.
    """
    handler = handlers.get(type(pressed))
    if handler is None:
        return None
    return handler(ctx, *(getattr(pressed, f.name) for f in fields(pressed)))
