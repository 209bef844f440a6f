"""Ports the services use; channels and the store implement them."""

from __future__ import annotations

from typing import Protocol

from bot.flows.prompt import Prompt


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


class MessageRejectedError(SendError):
    """The platform refused this one message (malformed, bad button data …); the account itself is fine.

    Sending the same message again cannot help, but the next message to the
    account may well arrive: the outbox marks only this row failed and keeps
    the account reachable.
    """


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
