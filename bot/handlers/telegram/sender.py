"""TelegramSender: the outbox's way out to Telegram (implements ``bot.services.ports.Sender``)."""

from __future__ import annotations

import logging
import os
from datetime import timedelta
from typing import Any

from telegram import Bot, InputFile
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from bot.handlers.telegram import mainland
from bot.handlers.telegram.media import send_media
from bot.handlers.telegram.render import to_messages
from bot.messages.prompt import Attachment, Prompt
from bot.services.ports import (
    MediaStore,
    MessageRejectedError,
    PermanentSendError,
    TransientSendError,
)

log = logging.getLogger(__name__)

# Bad Request descriptions (lower case) that are about the chat, not the message: the account is
# unreachable. Any other Bad Request refuses one message only (Bot API error descriptions as
# Telegram sends them; PTB drops the "Bad Request: " prefix).
ACCOUNT_LEVEL_BAD_REQUESTS = (
    "chat not found",
    "user not found",
    "user is deactivated",
    "bot was blocked",
    "bot was kicked",
    "peer_id_invalid",
    "have no rights to send",
    "not enough rights to send",
)


def use_timedelta_durations() -> None:
    """Opt in to python-telegram-bot's ``timedelta`` durations (``RetryAfter.retry_after``) for this process.

    PTB 22.2 deprecates the integer form and warns on every flood-control
    answer; ``PTB_TIMEDELTA=true`` gives the ``timedelta`` form its next major
    version makes the default. Called before the bot makes any request
    (:func:`bot.handlers.telegram.app.build_application`, :class:`TelegramSender`).
    """
    os.environ.setdefault("PTB_TIMEDELTA", "true")


def _retry_after_seconds(exc: RetryAfter) -> float:
    value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def send_prompt(bot: Bot, chat_id: int | str, prompt: Prompt, locale: str, timezone: str, **kwargs: Any) -> None:
    """Render ``prompt`` and send it as one or more messages (keyboard on the last part).

    The text goes as HTML; if Telegram cannot parse it (a catalog entry with a
    stray ``<`` or ``&``), the same prompt goes again as plain text, so a
    formatting slip never loses a message (when the first part is the one refused).

    Args:
        bot: the PTB bot.
        chat_id: Telegram chat id.
        prompt: what to say.
        locale: the recipient's locale.
        timezone: the school's IANA zone.
        kwargs: passed to every ``send_message`` call (e.g. ``rate_limit_args``).

    Raises:
        telegram.error.TelegramError: as raised by ``send_message``.
    """
    sent_parts = 0
    try:
        for message in to_messages(prompt, locale, timezone):
            await bot.send_message(
                chat_id=chat_id,
                text=message.text,
                parse_mode=ParseMode.HTML,
                reply_markup=message.reply_markup,
                **kwargs,
            )
            sent_parts += 1
    except BadRequest as exc:
        # Only when nothing went out yet: the plain rendering splits differently, so resending
        # from a later part would repeat what the person already has.
        if "parse entities" not in exc.message.lower() or sent_parts:
            raise
        log.warning("telegram could not parse the HTML of %s; sending plain text", prompt.message_id)
        for message in to_messages(prompt, locale, timezone, as_html=False):
            await bot.send_message(chat_id=chat_id, text=message.text, reply_markup=message.reply_markup, **kwargs)


async def send_attachment(bot: Bot, chat_id: int | str, attachment: Attachment, **kwargs: Any) -> None:
    """Send a reply's file: a picture as a photo (``sendPhoto``), anything else as a document."""
    upload = InputFile(attachment.data, filename=attachment.filename)
    if attachment.is_image:
        await bot.send_photo(chat_id=chat_id, photo=upload, **kwargs)
    else:
        await bot.send_document(chat_id=chat_id, document=upload, **kwargs)


class TelegramSender:
    """Sends rendered prompts to Telegram private chats.

    The bot's rate limiter (:class:`~bot.handlers.telegram.limiter.PacedRateLimiter`,
    see :func:`bot.handlers.telegram.app.build_application`) paces sends to
    Telegram's limits, shared with the replies; flood control that still
    happens comes back as :class:`TransientSendError` with Telegram's ``retry_after``.

    Args:
        bot: an initialised PTB bot (``application.bot``).
        media: the media store, for prompts with photos or voice messages
            (a letter, a reply): they go first; a retry sends them again.

    Attributes:
        channel: ``"telegram"``.
    """

    channel = "telegram"
    has_buttons = True

    def __init__(self, bot: Bot, media: MediaStore | None = None, *, mainland: bool = False) -> None:
        use_timedelta_durations()
        self.bot = bot
        self.media = media
        self.mainland = mainland  # a pointer instead of the message (bot.handlers.telegram.mainland)

    async def send(self, account_id: str, prompt: Prompt, locale: str, timezone: str) -> None:
        """Send ``prompt`` to the Telegram user ``account_id`` (a 64-bit id as text).

        A prompt longer than 4096 characters goes out as several messages; if
        one part fails, the error is raised and a retry sends every part again.

        Raises:
            TransientSendError: flood control (``RetryAfter``: ``retry_after`` in
                seconds) or a network error / time-out; try again later.
            PermanentSendError: the account cannot be reached: the user blocked
                the bot or deleted the account (any ``Forbidden``), or a
                ``BadRequest`` about the chat (see :data:`ACCOUNT_LEVEL_BAD_REQUESTS`:
                chat not found, user is deactivated, bot was blocked …).
            MessageRejectedError: any other ``BadRequest``: Telegram refused this
                message (malformed, bad button data …); repeating it cannot help,
                but the account stays reachable for the next message.
        """
        try:
            chat_id = int(account_id)
        except ValueError as exc:
            raise PermanentSendError(f"not a Telegram user id: {account_id!r}") from exc
        try:
            if self.mainland:  # no text, photo or voice of a child over Telegram: a pointer only
                await send_prompt(self.bot, chat_id, mainland.pointer(prompt, reply=False), locale, timezone)
                return None
            if prompt.media and self.media is not None:
                await send_media(self.bot, chat_id, prompt.media, self.media)
            await send_prompt(self.bot, chat_id, prompt, locale, timezone)
        except RetryAfter as exc:
            raise TransientSendError("telegram flood control", retry_after=_retry_after_seconds(exc)) from exc
        except Forbidden as exc:
            log.info("telegram chat %s unreachable: %s", chat_id, exc.message)
            raise PermanentSendError(f"telegram: {exc.message}") from exc
        except BadRequest as exc:
            if any(part in exc.message.lower() for part in ACCOUNT_LEVEL_BAD_REQUESTS):
                log.info("telegram chat %s unreachable: %s", chat_id, exc.message)
                raise PermanentSendError(f"telegram: {exc.message}") from exc
            log.warning("telegram refused a message to chat %s: %s", chat_id, exc.message)
            raise MessageRejectedError(f"telegram: {exc.message}") from exc
        except NetworkError as exc:  # includes TimedOut
            raise TransientSendError(f"telegram network error: {exc.message}") from exc
        except TelegramError as exc:
            raise TransientSendError(f"telegram error: {exc.message}") from exc
