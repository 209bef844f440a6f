"""Unit of work: one transaction per use case."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from bot.store.signals import NOTIFY_CHANNEL, OUTBOX_WRITTEN, CommitSignal


class UnitOfWork:
    """A transaction scope around one SQLAlchemy session.

    Use as ``with uow_factory() as uow: …; uow.commit()``. Leaving the block
    without :meth:`commit` rolls back, so a failed use case writes nothing.

    Attributes:
        session: the SQLAlchemy session of this unit.
    """

    def __init__(self, session_factory: sessionmaker[Session], signal: CommitSignal | None = None) -> None:
        self._factory = session_factory
        self._signal = signal
        self.session: Session

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.session.get_bind().dialect.name

    def __enter__(self) -> UnitOfWork:
        self.session = self._factory()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.session.rollback()
        finally:
            self.session.close()

    def commit(self) -> None:
        """Commit the transaction; when it wrote outbox rows, wake the senders (``bot.store.signals``)."""
        written = self.session.info.pop(OUTBOX_WRITTEN, False)
        if written and self.dialect == "postgresql":
            # Delivered to every LISTENing worker when (and only if) this transaction commits.
            self.session.execute(text(f"NOTIFY {NOTIFY_CHANNEL}"))
        self.session.commit()
        if written and self._signal is not None:
            self._signal.fire()

    def flush(self) -> None:
        """Send pending changes without committing."""
        self.session.flush()


class UnitOfWorkFactory:
    """Makes :class:`UnitOfWork`s bound to one session factory.

    Attributes:
        session_factory: the SQLAlchemy session factory.
        outbox_committed: listeners called after a commit that wrote outbox rows
            (the outbox sender subscribes its ``wake``).
    """

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self.session_factory = session_factory
        self.outbox_committed = CommitSignal()

    def __call__(self) -> UnitOfWork:
        """A new unit of work (use it as a context manager)."""
        return UnitOfWork(self.session_factory, self.outbox_committed)
