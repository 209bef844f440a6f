"""Conversation state per (channel, account), redelivery de-duplication and row locking.

The flow runner calls these inside one unit of work per inbound update:
:func:`load` (locks the conversation row on PostgreSQL with ``SELECT … FOR
UPDATE``, so two workers handle one person's updates one at a time),
:func:`mark_processed` (records the platform's update id in the same
transaction as the state change; a redelivery finds it and changes nothing),
then :func:`save` and ``uow.commit()``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from bot.services.ports import UnitOfWork
from bot.store.models import Conversation, ProcessedUpdate

# A question nobody answered within a week is no longer what a bare number means.
OFFER_TTL = timedelta(days=7)
# After an answer its numbers are not given to another question for a day.
NUMBERS_RESERVED = timedelta(hours=24)


@dataclass
class ConversationState:
    """A person's conversation as the flows see it.

    Attributes:
        id: the ``conversations`` row id (stable for the account).
        flow, state: the running flow and its state, or None when idle.
        data: the running flow's own values (JSON-serialisable); cleared when it ends.
        version: bumped with every question asked; buttons carry it.
        locale: a language chosen before binding (unbound chats), or None.
        offered: questions delivered outside a conversation (a check-in, an
            incident alert, a "close incident" offer) whose choices are
            numbered, so a numbered reply such as "3" answers the right one on
            channels without buttons (console, WeChat). Each entry is
            ``{"first": n, "payloads": [...], "at": iso time}``; numbers never
            overlap between waiting questions, nor with the running flow's.
    """

    id: int
    flow: str | None = None
    state: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    version: int = 0
    locale: str | None = None
    offered: list[dict[str, Any]] = field(default_factory=list)

    def _live(self, now: datetime) -> list[dict[str, Any]]:
        """Offered questions still waiting (within :data:`OFFER_TTL`, not answered)."""
        return [
            g for g in self.offered
            if not g.get("answered_at") and datetime.fromisoformat(g["at"]) > now - OFFER_TTL
        ]

    def offer(self, payloads: list[str], now: datetime, labels: list[list[Any]] | None = None) -> int:
        """Number a question's choices after every number in use; returns the first number.

        In use: the waiting questions, questions answered in the last
        :data:`NUMBERS_RESERVED` (so a stray or repeated "1" cannot answer a
        newer question that happens to get the same number) and the running
        flow's choices. A question offered again (an incident reminder) keeps
        its numbers. Questions older than :data:`OFFER_TTL` are forgotten.
        """
        self.offered = [
            g for g in self.offered
            if datetime.fromisoformat(g["at"]) > now - OFFER_TTL
            and not (g.get("answered_at") and datetime.fromisoformat(g["answered_at"]) <= now - NUMBERS_RESERVED)
        ]
        for group in self._live(now):
            if group["payloads"] == list(payloads):
                return int(group["first"])
        in_use = self.flow_last() if self.flow else 0
        for group in self.offered:
            in_use = max(in_use, int(group["first"]) + len(group["payloads"]) - 1)
        first = in_use + 1
        self.offered.append({"first": first, "payloads": list(payloads), "at": now.isoformat(),
                             "labels": labels or []})
        return first

    def waiting_labels(self, now: datetime) -> list[tuple[int, str, dict[str, Any]]]:
        """``(number, label message id, label params)`` of every choice still waiting, for typed answers."""
        found = []
        for group in self._live(now):
            for i, label in enumerate(group.get("labels") or []):
                found.append((int(group["first"]) + i, str(label[0]), dict(label[1] or {})))
        return found

    def take(self, number: int, now: datetime) -> str | None:
        """The payload a numbered reply picks among the waiting questions; that question is then answered.

        Its numbers stay reserved for :data:`NUMBERS_RESERVED`; a question past
        :data:`OFFER_TTL` answers nothing.
        """
        for group in self._live(now):
            first = int(group["first"])
            if first <= number < first + len(group["payloads"]):
                group["answered_at"] = now.isoformat()
                return str(group["payloads"][number - first])
        return None

    def flow_first(self, now: datetime) -> int:
        """The number of the running flow's first choice: after every question still waiting."""
        return 1 + max((int(g["first"]) + len(g["payloads"]) - 1 for g in self._live(now)), default=0)

    def flow_last(self) -> int:
        """The number of the running flow's last choice (0 without choices)."""
        choices = self.data.get("choices") or []
        return int(self.data.get("first", 1)) + len(choices) - 1 if choices else 0


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
        offered=[g for g in stored.get("offered") or [] if isinstance(g, dict)],
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
    if conversation.offered:
        stored["offered"] = conversation.offered
    row.data = stored
    row.version = conversation.version
    row.updated_at = now


def reserve_numbers(uow: UnitOfWork, *, channel: str, account_id: str, payloads: list[str], now: datetime,
                    labels: list[list[Any]] | None = None) -> int:
    """Number a question the outbox is about to deliver without buttons; returns its first number.

    See :meth:`ConversationState.offer`. The caller commits before sending, so
    the numbers shown are the numbers the engine will read back.
    """
    conversation = load(uow, channel=channel, account_id=account_id, now=now)
    first = conversation.offer(payloads, now, labels)
    save(uow, conversation, now=now)
    return first


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
