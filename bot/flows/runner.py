"""The flow runner: the one entry point every channel calls with an inbound message.

Interface (stable; channels depend on it, typed as :class:`Flows`):

    flows = FlowRunner(uow_factory, clock, settings)
    reply = flows.handle(Inbound(channel="telegram", account_id="123", text="/talk 张三"))
    for prompt in reply.prompts: render(prompt, reply.locale, reply.timezone)

State lives in the ``conversations`` table keyed by (channel, account), so a
restart loses nothing. One question at a time per chat (:mod:`bot.flows.agenda`;
what a message is for: :mod:`bot.flows.dispatch`):
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
from datetime import datetime
from typing import Protocol

from bot.config import Settings
from bot.domain.clock import Clock
from bot.flows import agenda as agenda_flow
from bot.flows import dispatch, idle_flow, queued_back, reached, which_child_wait, withdrawn
from bot.flows.common import Ctx, cleaned
from bot.flows.dispatch import (  # noqa: F401 - the dispatch's replies, re-exported where they were defined
    NOT_UNDERSTOOD,
    NUMBER_NOT_SHOWN,
    PRIVATE_ONLY,
    STALE_VERSION,
)
from bot.flows.locks import AccountLocks
from bot.i18n import normalise_locale
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


SORRY = N_("Sorry, something went wrong. Nothing was saved; please try again.")


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
        inbound = replace(inbound, text=cleaned(inbound.text))  # control characters dropped, as the import does
        if inbound.is_group:  # no lock, no database: group chatter can never stall a person (issue 10.11)
            locale = normalise_locale(inbound.language_code, self.settings.default_locale)
            return Reply(dispatch.group(inbound), locale=locale, timezone=self.settings.timezone)
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
            typed = inbound.text if inbound.payload is None else None
            # An alert of an incident he was left out of since: gone before anything reads it (fix9w).
            shown_withdrawn = withdrawn.withdraw(ctx)
            # An alerted person's reply of any kind acknowledges their waiting step (bot.flows.reached).
            handled = withdrawn.handle(ctx, typed, shown_withdrawn, lambda: reached.handle(
                ctx, typed, lambda: dispatch.dispatch(ctx, inbound)))
            prompts = agenda_flow.finish_turn(ctx, handled, top_before)
            prompts = queued_back.after_flow(ctx, prompts, top_before)  # "到时我会再发一次": now, not later
            conversations.save(uow, conv, now=now)
            uow.commit()
            log.info("conversation %s handled update %s: flow=%s state=%s version=%s",
                     conv.id, inbound.update_key, conv.flow, conv.state, conv.version)
            return Reply(prompts, locale=ctx.locale, timezone=ctx.timezone)

    def pass_on_unanswered(self) -> int:
        """The scheduler's timed step: words left at an unanswered "which child?" go on (:mod:`.which_child_wait`).

        Each chat in its own transaction under its lock, as an inbound message is. Returns the messages queued.
        """
        now = self.clock.now()
        with self.uow_factory() as uow:
            waiting = [account for flow, state in which_child_wait.FLOWS
                       for account in conversations.in_flow(uow, flow, state)]

        def step(ctx: Ctx) -> int | None:
            if not which_child_wait.due(ctx):
                return None
            log.info("conversation %s: an unanswered which-child passed on", ctx.conv.id)
            return which_child_wait.pass_on(ctx)

        return self._each_chat(waiting, step, now, save=True)

    def bring_held_behind_idle_flows(self) -> int:
        """The scheduler's timed step: a question held behind a flow left unanswered comes through (:mod:`.idle_flow`).

        Each chat in its own transaction under its lock. Returns the messages queued.
        """
        now = self.clock.now()
        with self.uow_factory() as uow:
            chats = conversations.with_flow(uow)
        # The idle flow's conversation is left as it is (not saved): only the outbox changes, and the chat's
        # agenda when the question is delivered (bot.flows.idle_flow).
        return self._each_chat(chats, lambda ctx: idle_flow.bring(ctx) or None, now, save=False)

    def _each_chat(self, chats: list[tuple[str, str]], step: Callable[[Ctx], int | None], now: datetime, *,
                   save: bool) -> int:
        """Run a timed ``step`` in each chat as an inbound message is handled (lock, transaction, conversation).

        ``step`` returns None when it did nothing, else the messages it queued: then the transaction is committed,
        and the conversation saved first when ``save``. Returns the messages queued in all.
        """
        queued = 0
        for channel, account_id in chats:
            with self._locks.get((channel, account_id)), self.uow_factory() as uow:
                conv = conversations.load(uow, channel=channel, account_id=account_id, now=now)
                actor = identity.actor_for(uow, channel=channel, account_id=account_id, now=now)
                if actor is None:
                    continue
                ctx = Ctx(uow=uow, actor=actor, conv=conv, now=now, settings=self.settings, channel=channel,
                          account_id=account_id, locale=self._locale(actor, conv, Inbound(channel, account_id)),
                          timezone=self._zone(actor), typed="")
                count = step(ctx)
                if count is None:
                    continue
                if save:
                    conversations.save(uow, conv, now=now)
                uow.commit()
                queued += count
        return queued

    def _locale(self, actor: Actor | None, conv: conversations.ConversationState, inbound: Inbound) -> str:
        if actor is not None:
            return normalise_locale(actor.locale, self.settings.default_locale)
        return normalise_locale(conv.locale or inbound.language_code, self.settings.default_locale)

    def _zone(self, actor: Actor | None) -> str:
        return actor.timezone if actor is not None and actor.timezone else self.settings.timezone
