"""The machinery's rows: the outbox, conversations, processed updates, callback claims, nonces, tokens, plan markers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.models.base import Base, EncryptedJSON, EncryptedString


class OutboxMessage(Base):
    """A message to send, written in the same transaction as the change that caused it.

    ``payload`` is a serialised :class:`bot.messages.prompt.Prompt`; it is rendered
    in the recipient's locale when sent. ``key`` makes enqueueing idempotent.
    """

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    # None once the child the message was about is erased (bot.services.retention_links); such a row was
    # cancelled first, so a pending row always has a recipient.
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    priority: Mapped[str] = mapped_column(String(8))  # Priority
    payload: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON("outbox.payload"))
    created_at: Mapped[datetime]
    not_before: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_until: Mapped[datetime | None]
    # Leases taken (bot.services.outbox_claims): one more than attempts means a worker stopped mid-send.
    claims: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    sent_at: Mapped[datetime | None]
    sent_channel: Mapped[str | None] = mapped_column(String(16))
    failed_at: Mapped[datetime | None]
    # The platform's reason can quote the message or name the recipient: encrypted, never filtered on.
    last_error: Mapped[str | None] = mapped_column(EncryptedString("outbox.last_error"))
    incident_step_id: Mapped[int | None] = mapped_column(ForeignKey("incident_steps.id"))
    # The one child the message is about (check-ins, reminders, news, incident alerts, letters …): erasing
    # the child cancels what is not sent yet (bot.services.retention). None: about no single child.
    child_id: Mapped[int | None] = mapped_column(ForeignKey("children.id"), index=True)
    cancelled_at: Mapped[datetime | None]  # e.g. the incident was closed: never send
    # Addressed to this one chat account, not to the person's best account (binding notices: the old
    # account must hear of a new one, a removed account of its removal). No fallback when it fails.
    to_channel: Mapped[str | None] = mapped_column(String(16))
    to_account: Mapped[str | None] = mapped_column(String(128))
    # Waiting for the person to write (WeChat's 48-hour window closed, no template; or 45047): not_before is
    # then far off, and the person's next message sets it to now (bot.services.outbox.release_waiting).
    waiting_since: Mapped[datetime | None]


_PENDING = text("sent_at IS NULL AND failed_at IS NULL AND cancelled_at IS NULL")
# The queue in claim order (bot.services.outbox_claims: urgent first, then the oldest), pending rows only.
Index("ix_outbox_queue", OutboxMessage.priority.desc(), OutboxMessage.not_before, OutboxMessage.id,
      sqlite_where=_PENDING, postgresql_where=_PENDING)


class Conversation(Base):
    """Conversation state per (channel, account); ``version`` invalidates old buttons."""

    __tablename__ = "conversations"
    __table_args__ = (UniqueConstraint("channel", "account_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    account_id: Mapped[str] = mapped_column(String(128))
    flow: Mapped[str | None] = mapped_column(String(32))
    state: Mapped[str | None] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON("conversations.data"), default=dict)
    version: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime]


class ProcessedUpdate(Base):
    """Inbound updates already handled (Telegram update_id, WeChat MsgId …)."""

    __tablename__ = "processed_updates"
    __table_args__ = (UniqueConstraint("channel", "update_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    update_key: Mapped[str] = mapped_column(String(200))
    received_at: Mapped[datetime]


class InboundClaim(Base):
    """A WeChat message or event claimed by the worker handling it (MsgId, or sender+CreateTime+Event+EventKey).

    Committed before the message is handled, so WeChat's retries (after 5 s,
    three times) that arrive while the first delivery is still being handled,
    on this worker or another, find the claim and do not handle it again.
    ``reply`` keeps the passive reply for a retry that arrives after it is ready.
    """

    __tablename__ = "inbound_claims"
    __table_args__ = (UniqueConstraint("channel", "dedupe_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    dedupe_key: Mapped[str] = mapped_column(String(200))
    claimed_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    reply: Mapped[dict[str, Any] | None] = mapped_column(EncryptedJSON("inbound_claims.reply"))
    # A retry came while the message was being handled: WeChat has dropped the first connection, so the
    # reply goes out as customer-service / app messages instead of a passive reply (bot.services.callbacks).
    reply_later: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class SeenNonce(Base):
    """Nonces of signed callback requests seen in the last minutes (replay protection)."""

    __tablename__ = "seen_nonces"
    __table_args__ = (UniqueConstraint("channel", "nonce"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    nonce: Mapped[str] = mapped_column(String(128))
    # SHA-256 of the request (timestamp, signatures, body): the same nonce on a byte-identical copy is a
    # retry of that request, on anything else a replay.
    request_hash: Mapped[str | None] = mapped_column(String(64))
    seen_at: Mapped[datetime] = mapped_column(index=True)


class ApiToken(Base):
    """Access tokens of platform APIs (WeChat, WeCom), shared by every worker through the database."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)  # e.g. "wechat:<appid>", "wecom:<corpid>:<agentid>"
    # Encrypted at rest: the bot presents this token to the platform, so it must be readable by every
    # worker (a hash could not be sent); a raw dump of the database must not give it away.
    token: Mapped[str] = mapped_column(EncryptedString("api_tokens.token"))
    expires_at: Mapped[datetime]
    refreshed_at: Mapped[datetime]


class PlanMarker(Base):
    """A periodic planning job done for one school and period (``checkins:<school>:<week>``).

    Lets every scheduler tick skip, with one indexed lookup, the schools whose
    work for the period is already planned, instead of re-reading them.
    """

    __tablename__ = "plan_markers"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime]


class DataKeyCheck(Base):
    """One encrypted canary per data key id: a wrong key is a clear error at start-up (``bot.store.keys``)."""

    __tablename__ = "data_key_checks"
    key_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    canary: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]



class IndexKeyCheck(Base):
    """The phone index key's check value: a wrong ``GUANAI_DATA_INDEX_KEY`` is refused at start-up.

    A wrong index key decrypts nothing wrongly (it only computes blind indexes)
    but finds nobody by phone: ``check`` is the blind index of a fixed text
    under the index key in use (``bot.store.keys``). One row.
    """

    __tablename__ = "index_key_checks"
    id: Mapped[int] = mapped_column(primary_key=True)
    check_value: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
