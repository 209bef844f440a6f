"""The audit log: every read of a child's record and every change by staff, append-only (issue 10, item 3)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DDL, ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.models.base import Base


class AuditEntry(Base):
    """Who did what to which child, when, from which channel.

    ``detail`` carries ids and enum values only (an incident id, a talk record
    id), never names or free text. Rows are never updated: the mapper refuses
    it, and a database trigger refuses ``UPDATE`` on SQLite and PostgreSQL.
    Only the retention purge deletes rows, once they are past their period.
    """

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_child_at", "child_id", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))  # None: the command line (``guanai``)
    action: Mapped[str] = mapped_column(String(32))  # bot.domain.privacy.AuditAction
    child_id: Mapped[int | None] = mapped_column(ForeignKey("children.id"))
    channel: Mapped[str] = mapped_column(String(16))  # a Channel value, or "cli"
    detail: Mapped[dict[str, Any] | None]


class AppendOnlyError(RuntimeError):
    """Something tried to change or delete an audit row."""


@event.listens_for(AuditEntry, "before_update")
def _refuse_update(*_args: object) -> None:
    raise AppendOnlyError("audit_log is append-only")


@event.listens_for(AuditEntry, "before_delete")
def _refuse_delete(*_args: object) -> None:
    raise AppendOnlyError("audit_log is append-only")


# The same rule in the database, for anything that does not go through the models.
NO_UPDATE_SQLITE = ("CREATE TRIGGER IF NOT EXISTS audit_log_append_only BEFORE UPDATE ON audit_log "
                    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END")
NO_UPDATE_PG_FUNCTION = ("CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$ "
                         "BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$ LANGUAGE plpgsql")
NO_UPDATE_PG_TRIGGER = ("CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log "
                        "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()")
event.listen(AuditEntry.__table__, "after_create", DDL(NO_UPDATE_SQLITE).execute_if(dialect="sqlite"))
event.listen(AuditEntry.__table__, "after_create", DDL(NO_UPDATE_PG_FUNCTION).execute_if(dialect="postgresql"))
event.listen(AuditEntry.__table__, "after_create", DDL(NO_UPDATE_PG_TRIGGER).execute_if(dialect="postgresql"))
