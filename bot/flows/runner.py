"""The flow runner: the one entry point every channel calls with an inbound message.

Interface (stable; channels depend on it, typed as :class:`Flows`):

    flows = FlowRunner(uow_factory, clock, settings)
    reply = flows.handle(Inbound(channel="telegram", account_id="123", text="/talk 张三"))
    for prompt in reply.prompts: render(prompt, reply.locale, reply.timezone)

State lives in the ``conversations`` table keyed by (channel, account), so a
restart loses nothing. Every prompt with choices carries the conversation
``version`` in its payloads; a payload with an older version is answered
"that button is from an earlier question" and changes nothing.
"""

from __future__ import annotations

import logging
import threading
import traceback
import unicodedata
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from bot.config import Settings
from bot.domain.clock import Clock
from bot.flows import bindings, calendar_admin, checkin, commands, incident, incident_manage, programme, reached, talk
from bot.flows import casework as case_flows
from bot.flows import figures as superiors
from bot.flows import words as everyday
from bot.flows.common import INVALID_BUTTON, PICK_ONE, Ctx
from bot.flows.family import FAMILY_COMMANDS, FAMILY_FLOWS, on_family_button, on_family_media
from bot.i18n import normalise_locale, render
from bot.messages import payloads
from bot.messages.prompt import N_, Prompt, msg
from bot.services import conversations, identity
from bot.services.identity import Actor
from bot.services.ports import UowFactory

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Inbound:
    """One message from a person, whatever the channel.

    Attributes:
        channel: ``bot.domain.enums.Channel`` value.
        account_id: the chat account (Telegram user id as text, WeChat OpenID …).
        text: typed text, or None for a button press. Commands arrive as text
            (``/talk 张三`` or the Chinese keyword ``谈心 张三``).
        payload: the ``Choice.payload`` of a pressed button, or None.
        is_group: the message came from a group chat (no child data there).
        update_key: platform id of the update (Telegram ``update_id``, WeChat
            MsgId) for de-duplicating redeliveries; None when the channel has none.
        language_code: the platform's language hint, used only before the
            person has a stored locale.
    """

    channel: str
    account_id: str
    text: str | None = None
    payload: str | None = None
    is_group: bool = False
    update_key: str | None = None
    language_code: str | None = None
    media: tuple[tuple[str, str], ...] = ()  # photos / voice as (kind, media ref), saved by the channel: letters


@dataclass
class Reply:
    """What to send back to the person who wrote.

    Attributes:
        prompts: in order.
        locale: the person's locale for rendering.
        timezone: the school's IANA zone.
    """

    prompts: list[Prompt] = field(default_factory=list)
    locale: str = "zh_Hans"
    timezone: str = "Asia/Shanghai"


class Flows(Protocol):
    """What a channel needs of the flows: one inbound message in, the reply out (synchronous)."""

    def handle(self, inbound: Inbound) -> Reply:
        """Handle one inbound message; never raises (failures are answered politely)."""
        ...


STALE_VERSION = N_("That button belongs to an earlier question; please use the latest message.")
SORRY = N_("Sorry, something went wrong. Nothing was saved; please try again.")
PRIVATE_ONLY = N_("Please talk to me in a private chat.")
NUMBER_NOT_SHOWN = N_("Please reply with one of the numbers shown in my messages.")
NUMBER_BETWEEN = N_("Please reply with a number from {low} to {high}.")
WHICH_NUMBER = N_("Several of my questions have that answer. Please reply with its number: {numbers}.")
NOT_UNDERSTOOD = N_("Sorry, I didn't understand that. Send /help to see what I can do.")
NOT_A_NUMBER = N_("To avoid mistakes, this question cannot be answered with a number. Type “{label}” to confirm, "
                  "or tap its button.")

_FLOWS: dict[str, Any] = {"talk": talk, "incident": incident, "checkin": checkin, "incident_manage": incident_manage,
                          "programme": programme, "bindings": bindings, **FAMILY_FLOWS, **case_flows.FLOWS}


class AccountLocks:
    """One lock per (channel, account): one update at a time per person here (held weakly: idle ones cost nothing)."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: weakref.WeakValueDictionary[tuple[str, str], threading.Lock] = weakref.WeakValueDictionary()

    def get(self, key: tuple[str, str]) -> threading.Lock:
        """The lock of one (channel, account); hold a reference while it is used."""
        with self._guard:
            lock = self._locks.get(key)
            if lock is None:
                lock = self._locks[key] = threading.Lock()
            return lock


class FlowRunner:
    """Runs the conversations of every channel.

    Args:
        uow_factory: makes one unit of work (transaction) per inbound update.
        clock: UTC clock.
        settings: default locale and school zone for people without their own.

    Each update is handled under an in-process lock per (channel, account) and,
    on PostgreSQL, a ``FOR UPDATE`` lock of the conversation row; its update key
    is recorded in the same transaction as the state change, so a redelivered
    update returns an empty :class:`Reply` and changes nothing. A new runner
    (a restart) continues the conversation stored in the database.
    """

    def __init__(self, uow_factory: UowFactory, clock: Clock, settings: Settings) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self.settings = settings
        self._locks = AccountLocks()

    def handle(self, inbound: Inbound) -> Reply:
        """Handle one inbound message and return what to answer (synchronous; channels run it in a thread)."""
        if inbound.is_group:  # no lock, no database: group chatter can never stall a person (issue 10.11)
            locale = normalise_locale(inbound.language_code, self.settings.default_locale)
            return Reply(self._group(inbound), locale=locale, timezone=self.settings.timezone)
        with self._locks.get((inbound.channel, inbound.account_id)):  # the with statement keeps the lock alive
            try:
                return self._handle(inbound)
            except Exception as exc:
                # Nothing was committed (the unit of work rolled back); answer politely and keep running.
                # The exception text is left out: database errors quote parameters (names, notes).
                log.error(
                    "update %s on %s failed: %s\n%s", inbound.update_key, inbound.channel,
                    type(exc).__name__, "".join(traceback.format_tb(exc.__traceback__)),
                )
                locale = normalise_locale(inbound.language_code, self.settings.default_locale)
                return Reply([Prompt(SORRY)], locale=locale, timezone=self.settings.timezone)

    def _handle(self, inbound: Inbound) -> Reply:
        now = self.clock.now()
        with self.uow_factory() as uow:
            # Lock first: everything after runs one at a time for this account.
            conv = conversations.load(uow, channel=inbound.channel, account_id=inbound.account_id, now=now)
            if inbound.update_key is not None and not conversations.mark_processed(
                uow, channel=inbound.channel, update_key=inbound.update_key, now=now
            ):
                log.info("update %s on %s already handled", inbound.update_key, inbound.channel)
                return Reply([], locale=normalise_locale(conv.locale or inbound.language_code,
                                                         self.settings.default_locale),
                             timezone=self.settings.timezone)
            actor = identity.actor_for(uow, channel=inbound.channel, account_id=inbound.account_id, now=now)
            ctx = Ctx(
                uow=uow, actor=actor, conv=conv, now=now, settings=self.settings, channel=inbound.channel,
                account_id=inbound.account_id, locale=self._locale(actor, conv, inbound), timezone=self._zone(actor),
            )
            # An alerted person's reply of any kind acknowledges their waiting step (bot.flows.reached).
            handled = reached.handle(ctx, inbound.text if inbound.payload is None else None,
                                     lambda: self._dispatch(ctx, inbound))
            prompts = [self._numbered(ctx, p) for p in handled]
            conversations.save(uow, conv, now=now)
            uow.commit()
            log.info("conversation %s handled update %s: flow=%s state=%s version=%s",
                     conv.id, inbound.update_key, conv.flow, conv.state, conv.version)
            return Reply(prompts, locale=ctx.locale, timezone=ctx.timezone)

    def _locale(self, actor: Actor | None, conv: conversations.ConversationState, inbound: Inbound) -> str:
        if actor is not None:
            return normalise_locale(actor.locale, self.settings.default_locale)
        return normalise_locale(conv.locale or inbound.language_code, self.settings.default_locale)

    def _zone(self, actor: Actor | None) -> str:
        return actor.timezone if actor is not None and actor.timezone else self.settings.timezone

    # -- dispatch ---------------------------------------------------------------------------

    def _group(self, inbound: Inbound) -> list[Prompt]:
        """Group chats get no child data at all: only /help; other commands point to a private chat."""
        if inbound.payload is not None:
            return [Prompt(PRIVATE_ONLY)]
        parsed = commands.parse(inbound.text or "")
        if parsed is None:
            return []  # ordinary group chatter is not for the bot
        if parsed[0] == "help":
            return [Prompt(N_("Hello! I help the school care for left-behind children. Please talk to me in a "
                              "private chat; send /help there to see what I can do."))]
        return [Prompt(PRIVATE_ONLY)]

    def _dispatch(self, ctx: Ctx, inbound: Inbound) -> list[Prompt]:
        if inbound.payload is not None:
            return self._button(ctx, inbound.payload)
        typed = (inbound.text or "").strip()
        if not typed or inbound.media:  # photos and voice messages: letters and replies (bot.flows.letters)
            return on_family_media(ctx, inbound.media, inbound.text) if inbound.media else [Prompt(NOT_UNDERSTOOD)]
        prose = bool(ctx.conv.flow and ctx.conv.data.get("prose"))
        parsed = commands.parse(typed, keywords=not prose)
        if parsed is not None:
            return self._command(ctx, *parsed)
        if ctx.actor is None and ctx.conv.flow != "lang":
            return [commands.bind_first(ctx)]
        number = _number(typed)
        choices: list[str] = ctx.conv.data.get("choices") or []
        flow_first = int(ctx.conv.data.get("first", 1))
        running = ctx.conv.flow is not None and (ctx.conv.flow in _FLOWS or ctx.conv.flow == "lang")
        if number is not None and running and ctx.conv.data.get("typed"):
            # An irreversible answer (closing an incident) is never a bare number (DESIGN.md "Conversations"):
            # no number answers this question, nor any question waiting behind it.
            return [_not_a_number(ctx), *self._again(ctx)]
        if number is not None:
            # Numbers never overlap between the running flow's question and the questions delivered
            # outside it (ConversationState.offer / flow_first): at most one of them matches.
            if running and choices and flow_first <= number < flow_first + len(choices):
                return self._choice(ctx, choices[number - flow_first])
            payload = ctx.conv.take(number, ctx.now)
            if payload is not None:
                return self._button(ctx, payload)
            if running and choices:
                return [Prompt(NUMBER_BETWEEN, {"low": flow_first, "high": flow_first + len(choices) - 1}),
                        *self._again(ctx)]
            if not running and ctx.conv.offered:
                ctx.finish()
                return [Prompt(NUMBER_NOT_SHOWN)]
        if not running:
            ctx.finish()  # idle, or a flow this version no longer has
            numbers = _typed_waiting_label(ctx, typed)
            if len(numbers) == 1:
                payload = ctx.conv.take(numbers[0], ctx.now)
                if payload is not None:
                    return self._button(ctx, payload)
            if len(numbers) > 1:
                return [Prompt(WHICH_NUMBER, {"numbers": [str(n) for n in numbers]})]
            return [Prompt(NOT_UNDERSTOOD)]
        picked = _typed_label(ctx, typed)
        if picked is not None:
            return self._choice(ctx, picked)
        flow = _FLOWS.get(ctx.conv.flow or "")
        result = flow.on_text(ctx, typed) if flow is not None else None
        if result is None:
            return [Prompt(PICK_ONE), *self._again(ctx)]
        return result

    def _command(self, ctx: Ctx, command: str, arg: str) -> list[Prompt]:
        if command == "help":
            return [commands.help_prompt(ctx)]
        if command == "start":
            return commands.start(ctx, arg)
        if command == "lang":
            return commands.lang(ctx)
        if ctx.actor is None:
            return [commands.bind_first(ctx)]
        if command == "cancel":
            return commands.cancel(ctx)
        ctx.finish()  # a new command replaces whatever was in progress
        starters: dict[str, Callable[[Ctx, str], list[Prompt]]] = {
            "talk": talk.start, "incident": incident.start, "unbind": bindings.unbind, **FAMILY_COMMANDS,
            "due": lambda c, _arg: commands.due_list(c), "close": lambda c, _arg: incident_manage.close_command(c),
            **calendar_admin.COMMANDS, **superiors.COMMANDS, **case_flows.COMMANDS,
        }
        starter = starters.get(command)
        return starter(ctx, arg) if starter is not None else commands.me(ctx)

    def _button(self, ctx: Ctx, payload: str) -> list[Prompt]:
        """A pressed button (or a numbered reply that picked one): decoded by :mod:`bot.messages.payloads`.

        A malformed or tampered payload (an id beyond the database's range
        included) is answered "that button is no longer valid" and changes nothing.
        """
        pressed = payloads.decode(payload)
        if ctx.actor is None and not (isinstance(pressed, payloads.FlowChoice) and ctx.conv.flow == "lang"):
            return [commands.bind_first(ctx)]
        if isinstance(pressed, payloads.FlowChoice):
            if (pressed.version != ctx.conv.version or ctx.conv.flow is None
                    or pressed.value not in (ctx.conv.data.get("choices") or [])):
                return [Prompt(STALE_VERSION), *self._again(ctx)]
            return self._choice(ctx, pressed.value)
        try:
            if isinstance(pressed, payloads.IncidentAck):
                return incident.on_button(ctx, "ack", pressed.incident_id)
            if isinstance(pressed, payloads.IncidentClose):
                return incident_manage.on_close_button(ctx, pressed.incident_id)
            if isinstance(pressed, payloads.IncidentView):
                return incident_manage.on_view_button(ctx, pressed.incident_id)
            if isinstance(pressed, payloads.IncidentExclude):
                return incident_manage.on_exclude_button(ctx, pressed.incident_id)
            if isinstance(pressed, payloads.CheckinPress):
                return checkin.on_answer(ctx, pressed.checkin_id, pressed.answer)
            if isinstance(pressed, payloads.CheckinSkip):
                return checkin.on_skip_button(ctx, pressed.checkin_id)
            if isinstance(pressed, payloads.ProgrammeAnswer):
                return programme.on_button(ctx, pressed.task_id, pressed.answer)
            if isinstance(pressed, payloads.FAMILY_PAYLOADS):
                return on_family_button(ctx, pressed)
            if isinstance(pressed, payloads.BindingDecision):
                return bindings.on_decision(ctx, pressed.account_id, pressed.epoch, pressed.confirm)
        except LookupError:
            log.info("button on conversation %s names nothing known", ctx.conv.id)
        return [Prompt(INVALID_BUTTON)]

    def _choice(self, ctx: Ctx, value: str) -> list[Prompt]:
        if ctx.conv.flow == "lang":
            return commands.lang_choice(ctx, value)
        flow = _FLOWS.get(ctx.conv.flow or "")
        if flow is None:
            ctx.finish()
            return [Prompt(STALE_VERSION)]
        return flow.on_choice(ctx, value)

    @staticmethod
    def _numbered(ctx: Ctx, prompt: Prompt) -> Prompt:
        """Number a reply's choices: the flow's after the questions still waiting; others (close incident …) offered."""
        if not prompt.choices:
            return prompt
        if all(payloads.is_flow_choice(c.payload) for c in prompt.choices):
            first = ctx.conv.flow_first(ctx.now)
            ctx.conv.data["first"] = first
            return replace(prompt, first_number=first)
        first = ctx.conv.offer([c.payload for c in prompt.choices], ctx.now,
                               [[c.label, c.params] for c in prompt.choices])
        return replace(prompt, first_number=first)

    @staticmethod
    def _again(ctx: Ctx) -> list[Prompt]:
        prompt = ctx.current_prompt()
        return [prompt] if prompt is not None else []


def _not_a_number(ctx: Ctx) -> Prompt:
    """"Type the words": the answer to a number at a question with a typed-only choice."""
    prompt = ctx.current_prompt()
    typed = [c for c in (prompt.choices if prompt else ()) if c.typed]
    label: Any = msg(typed[0].label, **typed[0].params) if typed else ""
    return Prompt(NOT_A_NUMBER, {"label": label})


def _fold(value: str) -> str:
    return "".join(unicodedata.normalize("NFKC", value).split()).casefold()


def _typed_label(ctx: Ctx, typed: str) -> str | None:
    """The current question's choice whose label the person typed ("好", "Skip"), as a tap would pick it.

    Grandparents often type the word rather than its number or a button.
    """
    prompt = ctx.current_prompt()
    if prompt is None:
        return None
    want = _fold(typed)
    for choice in prompt.choices:
        pressed = payloads.decode(choice.payload)
        if not isinstance(pressed, payloads.FlowChoice) or pressed.version != ctx.conv.version:
            continue
        label = render(Prompt(choice.label, choice.params), ctx.locale, ctx.timezone).text
        if want == _fold(label) or everyday.label_matches(ctx.locale, choice.label, typed):
            return pressed.value
    return None


def _typed_waiting_label(ctx: Ctx, typed: str) -> list[int]:
    """Numbers of the waiting questions' choices whose words were typed ("确认收到", "收到", "很好").

    The label itself first: only when no label was typed exactly do the everyday words count.
    """
    waiting = ctx.conv.waiting_labels(ctx.now)
    rendered = [(number, label, render(Prompt(label, params), ctx.locale, ctx.timezone).text)
                for number, label, params in waiting]
    exact = [number for number, _label, shown in rendered if _fold(shown) == _fold(typed)]
    if exact:
        return exact
    return [number for number, label, _shown in rendered if everyday.label_matches(ctx.locale, label, typed)]


def _number(typed: str) -> int | None:
    """A numbered reply: "2" or full-width "２" (WeChat has no buttons); None otherwise."""
    if typed.isdecimal() and len(typed) <= 3:
        return int(unicodedata.normalize("NFKC", typed))
    return None
