"""The flow runner: the one entry point every channel calls with an inbound message.

Interface (stable; channels depend on it, typed as :class:`Flows`):

    flows = FlowRunner(uow_factory, clock, settings)
    reply = flows.handle(Inbound(channel="telegram", account_id="123", text="/talk 张三"))
    for prompt in reply.prompts: render(prompt, reply.locale, reply.timezone)

State lives in the ``conversations`` table keyed by (channel, account), so a
restart loses nothing. One question at a time per chat (:mod:`bot.flows.agenda`):
a typed number or word answers only the question most recently shown, every
message numbers its choices from 1, and the questions waiting behind it are
asked again in their turn. A flow's buttons carry the version of the question
they belong to; a button of a question no longer open is answered "that
button is from an earlier question" and changes nothing.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from bot.config import Settings
from bot.domain.clock import Clock
from bot.domain.enums import STAFF_ROLES
from bot.flows import agenda as agenda_flow
from bot.flows import (
    all_clear,
    bindings,
    calendar_admin,
    checkin,
    commands,
    emergency,
    hints,
    incident,
    incident_manage,
    intent,
    natural,
    programme,
    reached,
    switch,
    talk,
)
from bot.flows import casework as case_flows
from bot.flows import figures as superiors
from bot.flows import privacy_flows as consents
from bot.flows import relay as family_flow
from bot.flows import typed as typed_answers
from bot.flows.common import INVALID_BUTTON, PICK_ONE, Ctx
from bot.flows.family import FAMILY_COMMANDS, FAMILY_FLOWS, on_family_button, on_family_media, on_family_offer_text
from bot.flows.locks import AccountLocks
from bot.i18n import normalise_locale
from bot.messages import payloads
from bot.messages.prompt import N_, Prompt
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
        reply_to: the button payloads of the bot's message this one replies to
            (Telegram's "Reply"): a teacher answering a family's message that way.
    """

    channel: str
    account_id: str
    text: str | None = None
    payload: str | None = None
    is_group: bool = False
    update_key: str | None = None
    language_code: str | None = None
    media: tuple[tuple[str, str], ...] = ()  # photos / voice as (kind, media ref), saved by the channel: letters
    reply_to: tuple[str, ...] = ()


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
NUMBER_NOT_SHOWN = N_("No question of mine is waiting for a number just now.")
NOT_UNDERSTOOD = N_("Sorry, I didn't understand that. Send /help to see what I can do.")

_FLOWS: dict[str, Any] = {"talk": talk, "incident": incident, "checkin": checkin, "incident_manage": incident_manage,
                          "programme": programme, "bindings": bindings, "switch": switch, **FAMILY_FLOWS,
                          **consents.FLOWS, **case_flows.FLOWS, **superiors.FLOWS, "relay": family_flow}


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
                log.error("update %s on %s failed: %s\n%s", inbound.update_key, inbound.channel,
                          type(exc).__name__, "".join(traceback.format_tb(exc.__traceback__)))
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
                locale = normalise_locale(conv.locale or inbound.language_code, self.settings.default_locale)
                return Reply([], locale=locale, timezone=self.settings.timezone)
            actor = identity.actor_for(uow, channel=inbound.channel, account_id=inbound.account_id, now=now)
            ctx = Ctx(
                uow=uow, actor=actor, conv=conv, now=now, settings=self.settings, channel=inbound.channel,
                account_id=inbound.account_id, locale=self._locale(actor, conv, inbound), timezone=self._zone(actor),
                typed=(inbound.text or "") if inbound.payload is None else "")
            top_before = agenda_flow.begin(ctx)
            # An alerted person's reply of any kind acknowledges their waiting step (bot.flows.reached).
            handled = reached.handle(ctx, inbound.text if inbound.payload is None else None,
                                     lambda: self._dispatch(ctx, inbound))
            prompts = agenda_flow.finish_turn(ctx, handled, top_before)
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
        parsed = commands.parse(inbound.text or "", bare_english=False)  # "me", "call" are group chatter
        if parsed is None:
            return []  # ordinary group chatter is not for the bot
        if parsed[0] == "help":
            return [Prompt(N_("Hello! I help the school care for left-behind children. Please talk to me in a "
                              "private chat; send /help there to see what I can do."))]
        return [Prompt(PRIVATE_ONLY)]

    def _dispatch(self, ctx: Ctx, inbound: Inbound) -> list[Prompt]:
        settled = natural.settle(ctx, inbound.payload, inbound.text, inbound.reply_to)  # 帮主? 回复：好的 (natural)
        if isinstance(settled, str):  # "yes" to "did you mean 帮助?", or the words after 回复：
            return self._dispatch(ctx, replace(inbound, text=settled, payload=None))
        if settled is not None:
            return settled
        if inbound.payload is not None:
            return self._button(ctx, inbound.payload)
        typed = (inbound.text or "").strip()
        if not typed or inbound.media:  # photos and voice messages: letters and replies (bot.flows.letters)
            return on_family_media(ctx, inbound.media, inbound.text) if inbound.media else [Prompt(NOT_UNDERSTOOD)]
        quoted = family_flow.answer_by_reply(ctx, inbound.reply_to, typed)  # 回复 on Telegram's reply
        if quoted is not None:
            return quoted
        urgent = emergency.intercept(ctx, typed)  # 救命 at night: an answer now, never a check-in's "needs help"
        if urgent is not None:
            return urgent
        parsed = intent.command(ctx, typed)  # a word answering the question shown, or a note, is no command
        if parsed is not None:
            return self._command(ctx, *parsed)
        cleared = all_clear.intercept(ctx, typed, self._again)  # 没事了 after an alert: before any question takes it
        if cleared is not None:
            return cleared
        slipped = natural.reply(ctx, typed)  # /hlep, 帮主: did you mean …? (bot.flows.slips)
        if slipped is not None:
            return slipped
        if ctx.actor is None and ctx.conv.flow != "lang":
            return [commands.bind_first(ctx)]
        return self._typed(ctx, typed)

    def _typed(self, ctx: Ctx, typed: str) -> list[Prompt]:
        """Typed text: a number or word answers the current question only (DESIGN.md "Conversations")."""
        top = agenda_flow.current(ctx)
        if top is not None and top["kind"] == "offer":
            return self._to_offer(ctx, top, typed)
        if top is not None and top["kind"] == "saved":  # a set-aside flow on top: it is running again
            agenda_flow.resume_top(ctx)
        if not (ctx.conv.flow in _FLOWS or ctx.conv.flow == "lang"):
            if ctx.conv.flow:
                ctx.finish()  # a flow this version no longer has
            return [Prompt(NUMBER_NOT_SHOWN)] if typed_answers.number(typed) is not None else (
                family_flow.unanswered(ctx, typed) or [Prompt(NOT_UNDERSTOOD)])  # nothing said is dropped
        number = typed_answers.number(typed)
        choices: list[str] = ctx.conv.data.get("choices") or []
        if number is not None and ctx.conv.data.get("typed"):
            # An irreversible answer (closing an incident) is never a bare number (DESIGN.md "Conversations").
            return [hints.not_a_number(ctx), *self._again(ctx)]
        if number is not None and ctx.conv.data.get("prose") and not choices:
            # A bare number is no note, description or reason: it was meant for a question with numbers.
            return [Prompt(hints.WORDS_NOT_A_NUMBER), *self._again(ctx)]
        if number is not None and choices:
            if 1 <= number <= len(choices):
                return self._choice(ctx, choices[number - 1])
            if ctx.conv.data.get("prose"):  # words are wanted: say so, and how to pick the choice instead
                hint = family_flow.words_wanted(ctx) if family_flow.answering(ctx) else hints.words_or_choice(ctx)
                return [hint, *self._again(ctx)]
            return [hints.number_between(len(choices)), *self._again(ctx)]
        if ctx.conv.data.get("prose") and family_flow.is_reply_word(ctx, typed):
            # The Reply button's word is never the text itself (a grandfather once received "回复" as the answer).
            return [family_flow.words_wanted(ctx), *self._again(ctx)]
        prompt = ctx.current_prompt()
        picked = typed_answers.matching(ctx, prompt.choices if prompt else (), typed)
        pressed = payloads.decode(picked.payload) if picked is not None else None
        if isinstance(pressed, payloads.FlowChoice) and pressed.version == ctx.conv.version:
            return self._choice(ctx, pressed.value)
        flow = _FLOWS.get(ctx.conv.flow or "")
        result = flow.on_text(ctx, typed) if flow is not None else None
        if result is None and ctx.conv.data.get("typed"):  # "确认" for "确认结束": the words, exactly
            return [hints.not_a_number(ctx, hints.TYPE_THE_WORDS), *self._again(ctx)]
        if result is None:  # a family member's own words at a menu are passed on (relay.out_of_menu)
            return family_flow.out_of_menu(ctx, typed) or [Prompt(PICK_ONE), *self._again(ctx)]
        return result

    def _to_offer(self, ctx: Ctx, top: dict[str, Any], typed: str) -> list[Prompt]:
        """Typed text while the current question was shown outside a flow (a check-in, an alert …)."""
        family = on_family_offer_text(ctx, top, typed)  # a count typed at the attendance notice
        if family is not None:
            return family
        choices = agenda_flow.offer_choices(top)
        number = typed_answers.number(typed)
        if number is not None and not 1 <= number <= len(choices):
            return [hints.number_between(len(choices)), *self._again(ctx)]
        picked = choices[number - 1] if number is not None else typed_answers.matching(ctx, choices, typed)
        if picked is not None:
            return self._button(ctx, picked.payload)
        if not top.get("required"):
            # An optional offer (a "Close incident" button) was passed over: the question under it is current.
            ctx.conv.agenda = [e for e in ctx.conv.agenda if e["key"] != top["key"]]
            return self._typed(ctx, typed)
        return family_flow.unanswered(ctx, typed, again=self._again(ctx)) or [Prompt(NOT_UNDERSTOOD), *self._again(ctx)]

    def _command(self, ctx: Ctx, command: str, arg: str) -> list[Prompt]:
        if command == "help":
            return [commands.help_prompt(ctx)]
        if command == "start":
            return commands.start(ctx, arg)
        if command == "lang" and (ctx.actor is None or ctx.conv.flow not in _FLOWS):
            return commands.lang(ctx)
        if ctx.actor is None:
            return [commands.bind_first(ctx)]
        if command == "cancel":
            return commands.cancel(ctx, arg)
        if (command in ("due", "me") and not switch.resting(ctx)) or (
                command == "incident" and not STAFF_ROLES & ctx.actor.roles):
            # Information (a list, the emergency numbers): the question waiting keeps its numbers and is asked again.
            return agenda_flow.beside_current(ctx, self._run(ctx, command, arg))
        if ctx.conv.flow == switch.FLOW:  # another command at "drop it?": dropped, and said so
            return switch.another(ctx, command, arg, self._run)
        if switch.unfinished(ctx, _FLOWS, arg):
            return switch.ask(ctx, command, arg, self._run)  # drop the unfinished flow, answers given? (DESIGN.md)
        ctx.finish()
        return self._run(ctx, command, arg)

    @staticmethod
    def _run(ctx: Ctx, command: str, arg: str) -> list[Prompt]:
        starters: dict[str, Callable[[Ctx, str], list[Prompt]]] = {
            "talk": talk.start, "incident": incident.start, "unbind": bindings.unbind, **FAMILY_COMMANDS,
            "due": lambda c, _arg: commands.due_list(c), "close": lambda c, _arg: incident_manage.close_command(c),
            "lang": lambda c, _arg: commands.lang(c), **calendar_admin.COMMANDS, **superiors.COMMANDS,
            **consents.COMMANDS, **case_flows.COMMANDS, **family_flow.COMMANDS, "which": switch.ask_which,
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
            # Only the question the button belongs to, if it is still open (a set-aside flow is resumed).
            if (not agenda_flow.resume_for_version(ctx, pressed.version)
                    or pressed.value not in (ctx.conv.data.get("choices") or [])):
                return [Prompt(STALE_VERSION), *self._again(ctx)]
            return self._choice(ctx, pressed.value)
        if pressed is not None:
            agenda_flow.answered(ctx, payload)
        try:
            if isinstance(pressed, payloads.IncidentAck):
                return incident.on_button(ctx, "ack", pressed.incident_id)
            if isinstance(pressed, payloads.IncidentClose):
                return incident_manage.on_close_button(ctx, pressed.incident_id, pressed.outcome)
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
            if isinstance(pressed, payloads.FamilyReply):
                return family_flow.on_reply_button(ctx, pressed.message_id)
            if isinstance(pressed, payloads.FAMILY_PAYLOADS):
                return on_family_button(ctx, pressed)
            if isinstance(pressed, payloads.BINDING_PAYLOADS):
                return bindings.on_button(ctx, pressed)
        except LookupError:
            log.info("button on conversation %s names nothing known", ctx.conv.id)
        return [Prompt(INVALID_BUTTON)]

    def _choice(self, ctx: Ctx, value: str) -> list[Prompt]:
        if ctx.conv.flow == "lang":
            return commands.lang_choice(ctx, value)
        if ctx.conv.flow == switch.FLOW:
            return switch.on_choice(ctx, value, self._run)
        flow = _FLOWS.get(ctx.conv.flow or "")
        if flow is None:
            ctx.finish()
            return [Prompt(STALE_VERSION)]
        return flow.on_choice(ctx, value)

    @staticmethod
    def _again(ctx: Ctx) -> list[Prompt]:
        """The current question, shown again after an answer that did not fit it."""
        top = agenda_flow.current(ctx)
        if top is not None and top["kind"] == "offer":
            return [Prompt.from_dict(top["prompt"])]
        prompt = ctx.current_prompt() if ctx.conv.flow else None
        return [prompt] if prompt is not None else []
