"""Ports the services use; channels and the store implement them.

* :class:`UnitOfWork` — one transaction around a SQLAlchemy session; the
  concrete class is ``bot.store.uow.UnitOfWork`` (wired by ``bot.bootstrap``).
  Services, flows and handlers type against this protocol, never against the
  store's class.
* :class:`Sender` — sends one prompt to one chat account (Telegram, WeChat,
  WeCom, console), with the errors the outbox drain understands.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Protocol, Self

from sqlalchemy.orm import Session

from bot.messages.prompt import Prompt


class UnitOfWork(Protocol):
    """A transaction scope: ``with uow_factory() as uow: …; uow.commit()``.

    Leaving the block without :meth:`commit` rolls back, so a failed use case
    writes nothing (cosmicpython's unit of work; the concrete one lives with
    the store).

    Attributes:
        session: the SQLAlchemy session of this unit.
    """

    session: Session

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``: the few statements that differ (row locks, upserts) ask."""
        ...

    def __enter__(self) -> Self:
        """Open the session."""
        ...

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Roll back whatever was not committed and close the session."""
        ...

    def commit(self) -> None:
        """Commit the transaction."""
        ...

    def flush(self) -> None:
        """Send pending changes to the database without committing (ids become known)."""
        ...


UowFactory = Callable[[], UnitOfWork]
"""Makes one :class:`UnitOfWork` per call (``bot.store.uow.UnitOfWorkFactory``)."""


class SendError(Exception):
    """Sending a message failed."""


class TransientSendError(SendError):
    """Try again later (network error, flood control).

    Attributes:
        retry_after: seconds the platform asked us to wait (Telegram
            ``RetryAfter``), or None to use our own back-off.
    """

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class PermanentSendError(SendError):
    """This account cannot be reached (bot blocked, chat not found, unfollowed, outside WeChat's 48 h)."""


class WaitForPersonError(SendError):
    """This message can go only after the person writes to us again; the account itself is fine.

    WeChat: outside the 48-hour customer-service window with no template for
    the message, or the person's customer-service quota used up (45047). A
    non-urgent row then waits for the person's next message instead of being
    retried or failed; an urgent one is treated as refused (next account,
    then the fallback), since an alert cannot wait.
    """


class MessageRejectedError(SendError):
    """The platform refused this one message (malformed, bad button data …); the account itself is fine.

    Sending the same message again cannot help, but the next message to the
    account may well arrive: the outbox marks only this row failed and keeps
    the account reachable.
    """


class MediaStore(Protocol):
    """Where the family link's photos and voice messages are kept (``bot.adapters.media_files``)."""

    def save(self, data: bytes, suffix: str) -> str:
        """Keep ``data``; returns its ref (``suffix`` such as ``.jpg``)."""
        ...

    def load(self, ref: str) -> bytes:
        """The bytes of a ref (``FileNotFoundError`` when gone, ``ValueError`` when not a ref)."""
        ...

    def delete(self, ref: str) -> None:
        """Remove the file of a ref (gone already: nothing to do; ``ValueError`` when not a ref)."""
        ...


class Sender(Protocol):
    """Sends one rendered prompt to one chat account of one channel."""

    channel: str
    # False for channels that show choices as numbered replies (console, WeChat):
    # the outbox then records the choices so "1" answers the delivered question.
    has_buttons: bool

    async def send(self, account_id: str, prompt: Prompt, locale: str, timezone: str) -> None:
        """Send ``prompt`` rendered in ``locale`` / ``timezone``.

        Raises:
            TransientSendError: retry later.
            PermanentSendError: give up on this account.
            MessageRejectedError: give up on this message only.
        """
        ...
