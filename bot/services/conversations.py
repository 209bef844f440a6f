"""Conversation state per (channel, account), redelivery de-duplication and row locking.

The flow runner calls these inside one unit of work per inbound update:
:func:`load` (locks the conversation row on PostgreSQL with ``SELECT … FOR
UPDATE``, so two workers handle one person's updates one at a time),
:func:`mark_processed` (records the platform's update id in the same
transaction as the state change; a redelivery finds it and changes nothing),
then :func:`save` and ``uow.commit()``.

:func:`present` is the delivery seam: whatever sends a question to a chat
outside a conversation (the outbox) puts it on that chat's agenda first
(:mod:`bot.domain.agenda`), so a typed ``1`` answers what is on screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from bot.domain import agenda
from bot.domain.enums import IncidentStatus
from bot.messages import payloads
from bot.messages.prompt import N_, Prompt, PromptKind, dt
from bot.services import agenda_return, all_clear_closed, queued_topic, urgent_escalation, urgent_messages
from bot.services.ports import UnitOfWork
from bot.store.models import Conversation, FamilyMessage, Incident, ProcessedUpdate


@dataclass
class ConversationState:
    """A person's conversation as the flows see it.

    Attributes:
        id: the ``conversations`` row id (stable for the account).
        flow, state: the running flow and its state, or None when idle.
        data: the running flow's own values (JSON-serialisable); cleared when it ends.
        version: bumped with every question asked; buttons carry it.
        locale: a language chosen before binding (unbound chats), or None.
        agenda: the questions waiting in this chat, the current one first
            (:mod:`bot.domain.agenda`): a typed number or word answers only
            the current one; the others are asked again in their turn.
        serial: numbers set-aside flows (``saved:<n>`` agenda keys).
    """

    id: int
    flow: str | None = None
    state: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    version: int = 0
    locale: str | None = None
    agenda: list[dict[str, Any]] = field(default_factory=list)
    serial: int = 0


def load(uow: UnitOfWork, *, channel: str, account_id: str, now: datetime) -> ConversationState:
    """Load (creating when missing) and lock the conversation of one chat account.

    On PostgreSQL the row is locked ``FOR UPDATE`` until the unit of work ends,
    so concurrent workers serialise per account; on SQLite the database write
    lock is taken at once (SQLite allows one writer). Call it first in the unit
    of work, before other statements, so SQLite's lock is not an upgrade.

    Args:
        uow: the update's unit of work.
        channel: the chat account's channel.
        account_id: the chat account.
        now: UTC now (creation time).
    """
    session = uow.session
    where = (Conversation.channel == channel, Conversation.account_id == account_id)
    query = select(Conversation).where(*where)
    if uow.dialect == "sqlite":
        # SQLite has no row locks: a write statement takes the database's write lock
        # (waiting out the busy timeout) and holds it to commit, which serialises
        # writers just as well. Savepoints are avoided on SQLite: pysqlite runs them
        # outside its implicit transaction, and releasing one commits.
        session.execute(update(Conversation).where(*where).values(version=Conversation.version))
        row = session.scalar(query)
        if row is None:
            row = Conversation(channel=channel, account_id=account_id, data={}, version=0, updated_at=now)
            session.add(row)
            session.flush()
    else:
        row = session.scalar(query.with_for_update())
        if row is None:
            try:
                with session.begin_nested():
                    row = Conversation(channel=channel, account_id=account_id, data={}, version=0, updated_at=now)
                    session.add(row)
            except IntegrityError:
                # Another worker created it first: take theirs (and wait for its lock).
                row = session.scalars(query.with_for_update()).one()
    stored = dict(row.data or {})
    return ConversationState(
        id=row.id,
        flow=row.flow,
        state=row.state,
        data=dict(stored.get("flow") or {}),
        version=int(row.version or 0),
        locale=stored.get("locale"),
        agenda=[e for e in stored.get("agenda") or [] if isinstance(e, dict) and "key" in e],
        serial=int(stored.get("serial") or 0),
    )


def save(uow: UnitOfWork, conversation: ConversationState, *, now: datetime) -> None:
    """Write the conversation back (the caller commits)."""
    row = uow.session.get(Conversation, conversation.id)
    if row is None:  # pragma: no cover - load() created it in this transaction
        raise LookupError(conversation.id)
    row.flow = conversation.flow
    row.state = conversation.state
    stored: dict[str, Any] = {"flow": conversation.data}
    if conversation.locale:
        stored["locale"] = conversation.locale
    if conversation.agenda:
        stored["agenda"] = conversation.agenda
    if conversation.serial:
        stored["serial"] = conversation.serial
    row.data = stored
    row.version = conversation.version
    row.updated_at = now


def present(uow: UnitOfWork, *, channel: str, account_id: str, prompt: Prompt, now: datetime,
            urgent: bool = False, quiet: bool = False) -> Prompt:
    """Put a question the outbox is about to send on the chat's agenda; returns the prompt to send.

    The delivery seam (DESIGN.md "Conversations"): whatever sends a prompt
    with choices to a chat outside a conversation (a check-in, an incident
    alert, a reminder) calls this first, in its own unit of work, and commits
    before sending, so the question on screen is the one a typed ``1`` answers.

    * Shown now (urgent, or nothing else waits for an answer): the prompt
      comes back unchanged, its choices numbered from 1, and it becomes the
      chat's current question; the one it interrupts is asked again afterwards.
    * Queued (another question is waiting for an answer): the prompt comes
      back without its choices and with a line saying it will be asked again;
      the flow runner asks it, choices and all, when its turn comes.

    A prompt without choices comes back unchanged and changes nothing.

    Args:
        uow: a unit of work (the caller commits).
        channel: the recipient chat account's channel.
        account_id: the recipient chat account.
        prompt: the prompt as stored in the outbox.
        now: UTC now.
        urgent: the outbox row is URGENT (a family's 【紧急】 message): its question comes before
            everything else, a flow in progress included, as an incident alert's does.
        quiet: sent in the recipient's quiet hours (a held check-in is not asked with a close notice then).
    """
    if not prompt.choices:
        if prompt.kind not in ENDING_KINDS:
            return prompt
        conversation = load(uow, channel=channel, account_id=account_id, now=now)
        items, prompt = agenda_return.after_notice(uow, agenda.tidy(conversation.agenda, now), channel=channel,
                                                   account_id=account_id, prompt=prompt, now=now, quiet=quiet)
        version = conversation.version
        if not prompt.choices:  # "which child?" whose child's incident just closed: asked again now (fix6l)
            prompt = all_clear_closed.after_close(uow, conversation, channel=channel, account_id=account_id,
                                                  prompt=prompt, now=now)
        if items != conversation.agenda or conversation.version != version:
            conversation.agenda = items
            save(uow, conversation, now=now)
        return prompt
    conversation = load(uow, channel=channel, account_id=account_id, now=now)
    choice_payloads = [c.payload for c in prompt.choices]
    entry = agenda.offer(prompt.to_dict(), choice_payloads, now, urgent=urgent or agenda.is_urgent(choice_payloads))
    replied = _incidents_replied(uow, choice_payloads)
    if replied:
        entry["incidents"] = replied  # a family's reply to an alert: an all clear of that incident comes before it
    if urgent and _any_open(uow, replied):
        # A family's reply to an emergency still open is shown over an ordinary flow (aid, plan, talk), which is set
        # aside and asked again after it, named, as an alert does (fix6at; DESIGN.md "Conversations").
        entry["open_emergency"] = True
    if urgent and prompt.message_id in EMERGENCY_PROMPTS:
        entry["emergency"] = True  # shown before a relayed reply to an alert (bot.domain.agenda.arrives)
    items = agenda.tidy(conversation.agenda, now)
    if conversation.flow and not any(e["kind"] == "flow" for e in items):
        items = [agenda.flow_entry(now), *items]
    waiting = agenda.current(items)
    conversation.agenda, shown = agenda.arrives(items, entry, now)
    save(uow, conversation, now=now)
    if shown:
        if waiting is not None and waiting.get("kind") == "flow" and agenda.is_stale(waiting, now):
            # A talk left unanswered (fix6ac): shown over it, and the line says where the talk is and how back.
            about = queued_topic.topic(uow, waiting, conversation.flow, conversation.data, conversation.state)
            if about is not None:
                aside = (FLOW_SET_ASIDE, {"topic": about, "at": dt(datetime.fromisoformat(waiting["at"]))})
                return replace(prompt, first_number=1, lines=(*prompt.lines, aside))
        return replace(prompt, first_number=1)
    about = queued_topic.topic(uow, waiting, conversation.flow, conversation.data, conversation.state)
    # A talk left hours ago still holds the numbers (bot.domain.agenda.is_stale): its question is far up the
    # chat, so the line says how to see it again rather than "above" (fix6w).
    earlier = waiting is not None and waiting.get("kind") == "flow" and agenda.is_stale(waiting, now)
    line = ((QUEUED_EARLIER if earlier else QUEUED_ABOUT, {"topic": about}) if about is not None
            else (QUEUED_LINE, {}))
    return replace(prompt, choices=(), lines=(*prompt.lines, line))


def _incidents_replied(uow: UnitOfWork, choice_payloads: list[str]) -> list[int]:
    """The incidents the family messages answered by these choices (a Reply) were written about."""
    ids = [p.message_id for p in map(payloads.decode, choice_payloads) if isinstance(p, payloads.FamilyReply)]
    if not ids:
        return []
    found = uow.session.scalars(select(FamilyMessage.incident_id).where(
        FamilyMessage.id.in_(ids), FamilyMessage.incident_id.is_not(None))).all()
    return sorted({i for i in found if i is not None})


def _any_open(uow: UnitOfWork, incident_ids: list[int]) -> bool:
    """Whether any of these incidents is still open."""
    return bool(incident_ids) and uow.session.scalar(select(Incident.id).where(
        Incident.id.in_(incident_ids), Incident.status == IncidentStatus.OPEN.value).limit(1)) is not None


EMERGENCY_PROMPTS = frozenset({urgent_messages.URGENT_WRITES, urgent_messages.URGENT_SENT,
                               urgent_escalation.REMINDER, urgent_escalation.REMINDER_SENT,
                               urgent_escalation.NOT_ANSWERED, urgent_escalation.NOT_ANSWERED_SENT})
"""A family's 【紧急】 message and its chain's reminders: emergencies, ahead of other urgent questions."""

ENDING_KINDS = frozenset({PromptKind.NOTICE, PromptKind.INCIDENT_NOTICE})
"""Notices that may end an alert (closed, answered by someone else): the question it held back comes with them."""

QUEUED_LINE = N_("I will ask you this again, with its answers, once you have answered my question before it.")
QUEUED_ABOUT = N_("Please first answer my question above about {topic}; then I will ask you this one again, "
                  "with its answers.")
FLOW_SET_ASIDE = N_("Set aside: {topic}, left unanswered since {at}. It is kept where you left it and comes "
                    "back once you have answered this message, or at once if you send /cancel.")
QUEUED_EARLIER = N_("Please first finish {topic}, which you began earlier (send /due to see its question again); "
                    "then I will ask you this one again, with its answers.")


def in_flow(uow: UnitOfWork, flow: str, state: str) -> list[tuple[str, str]]:
    """The chat accounts (channel, account id) whose running flow waits at ``state`` (a timed step looks them over)."""
    rows = uow.session.execute(select(Conversation.channel, Conversation.account_id)
                               .where(Conversation.flow == flow, Conversation.state == state)
                               .order_by(Conversation.id))
    return [(str(channel), str(account)) for channel, account in rows]


def with_flow(uow: UnitOfWork) -> list[tuple[str, str]]:
    """The chat accounts (channel, account id) with a flow running (a timed step looks them over)."""
    rows = uow.session.execute(select(Conversation.channel, Conversation.account_id)
                               .where(Conversation.flow.is_not(None)).order_by(Conversation.id))
    return [(str(channel), str(account)) for channel, account in rows]


def mark_processed(uow: UnitOfWork, *, channel: str, update_key: str, now: datetime) -> bool:
    """Record an inbound update id; False when it was handled before (a redelivery).

    The row is written in the caller's transaction, so it is kept only when the
    state change it belongs to is committed. On PostgreSQL a concurrent insert
    of the same key waits for the other transaction and then fails here.
    """
    session = uow.session
    exists = session.scalar(
        select(ProcessedUpdate.id).where(ProcessedUpdate.channel == channel, ProcessedUpdate.update_key == update_key)
    )
    if exists is not None:
        return False
    if uow.dialect == "sqlite":
        # load() holds SQLite's write lock, so nobody can insert this key meanwhile.
        session.add(ProcessedUpdate(channel=channel, update_key=update_key, received_at=now))
        session.flush()
        return True
    try:
        with session.begin_nested():
            session.add(ProcessedUpdate(channel=channel, update_key=update_key, received_at=now))
    except IntegrityError:
        return False
    return True
