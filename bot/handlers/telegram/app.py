"""The python-telegram-bot Application: updates in, the flow runner, replies out.

Telegram's limits (Bot API FAQ, "My bot is hitting limits"): about 30
messages per second overall, about 1 message per second in one chat, and 20
messages per minute in one group. Every call of the bot, reply or outbox
send, goes through one :class:`~bot.services.pacing.Pacer`
(:class:`~bot.handlers.telegram.limiter.PacedRateLimiter`), which waits for
the chat's turn and an overall slot instead of letting Telegram refuse.

Updates are handled concurrently across people but one at a time per
person (a per-user :class:`asyncio.Lock`; the flow runner also locks the
conversation row), so a double tap cannot overtake the first tap. Group-chat
updates take neither the lock nor a slot beyond deciding the answer: their
replies go out in the background, thinned out (:mod:`bot.handlers.telegram.groups`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import replace

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.domain.enums import Channel
from bot.flows.runner import Flows, Inbound
from bot.handlers.telegram import mainland as mainland_mode
from bot.handlers.telegram.commands import register_command_menu
from bot.handlers.telegram.groups import GroupReplies
from bot.handlers.telegram.limiter import PacedRateLimiter, paced_request
from bot.handlers.telegram.media import save_media
from bot.handlers.telegram.sender import send_attachment, send_prompt, use_timedelta_durations
from bot.i18n import normalise_locale
from bot.messages.prompt import N_, Prompt
from bot.services.pacing import TELEGRAM, UNLIMITED, Pacer
from bot.services.ports import MediaStore

log = logging.getLogger(__name__)

APOLOGY = N_("Sorry, something went wrong on our side. Please try again in a moment.")
"""Said when handling an update failed; the details go to the log (ids only)."""

GROUP_CHATS = frozenset({ChatType.GROUP, ChatType.SUPERGROUP, ChatType.CHANNEL})

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
"""The update kinds the bot asks Telegram for (``getUpdates`` / ``setWebhook`` ``allowed_updates``)."""

REPLY_FLOOD_RETRIES = 2
"""How often a direct reply waits out Telegram's ``retry_after`` before giving up.

Scheduled messages (``TelegramSender``) do not wait: flood control comes back to
the outbox as ``TransientSendError`` and the row goes again after ``retry_after``
(the limiter's default ``max_retries`` is 0).
"""

CONCURRENT_UPDATES = 64
"""Updates processed at once across different people (PTB ``concurrent_updates``)."""


def file_url_for(api_url: str) -> str:
    """The Bot API file URL matching a method URL (``…/bot`` → ``…/file/bot``)."""
    base = api_url.rstrip("/")
    if base.endswith("/bot"):
        return base[: -len("/bot")] + "/file/bot"
    return base + "/file/bot"


class UpdateHandler:
    """Turns PTB updates into :class:`Inbound` messages and the flows' replies into messages.

    Args:
        flows: the flow runner (synchronous; run in a worker thread).
        default_locale: locale for the apology when the user's language is unknown.
        group_replies: admits and sends group replies (default: :class:`GroupReplies` with its limits).
        media: where photos and voice messages go (letters and replies); None ignores them.
        mainland: replies carry no personal data (bot.handlers.telegram.mainland).
    """

    def __init__(self, flows: Flows, default_locale: str = "zh_Hans", media: MediaStore | None = None, *,
                 group_replies: GroupReplies | None = None, mainland: bool = False) -> None:
        self.flows = flows
        self.default_locale = default_locale
        self.media = media
        self.group_replies = group_replies or GroupReplies()
        self.mainland = mainland  # replies carry no personal data (bot.handlers.telegram.mainland)
        # user id -> (lock, number of updates holding or waiting for it); entries go when unused,
        # so the table does not grow with every user ever seen.
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}

    @contextlib.asynccontextmanager
    async def _one_at_a_time(self, user_id: int) -> AsyncIterator[None]:
        lock, users = self._locks.get(user_id, (asyncio.Lock(), 0))
        self._locks[user_id] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[user_id]
            if users == 1:
                del self._locks[user_id]
            else:
                self._locks[user_id] = (lock, users - 1)

    @staticmethod
    def inbound_for(update: Update) -> Inbound | None:
        """The :class:`Inbound` for a text message or a callback query; None for anything else."""
        user = update.effective_user
        chat = update.effective_chat
        if user is None or user.is_bot:
            return None
        inbound = Inbound(
            channel=Channel.TELEGRAM.value,
            account_id=str(user.id),
            is_group=chat is not None and chat.type in GROUP_CHATS,
            update_key=str(update.update_id),
            language_code=user.language_code,
        )
        if update.callback_query is not None:
            if not update.callback_query.data:
                return None
            return replace(inbound, payload=update.callback_query.data)
        if update.message is not None and update.message.text:
            quoted = update.message.reply_to_message  # Telegram's "Reply" to one of the bot's messages
            markup = quoted.reply_markup if quoted is not None and quoted.from_user and quoted.from_user.is_bot \
                else None
            buttons = tuple(b.callback_data for row in markup.inline_keyboard for b in row
                            if isinstance(b.callback_data, str)) if markup is not None else ()
            return replace(inbound, text=update.message.text, reply_to=buttons)
        return None

    async def __call__(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Handle one update; never raises (failures are logged with ids and answered politely)."""
        query = update.callback_query
        if query is not None:
            # Answer at once so the client stops its spinner (Telegram expects it within seconds).
            try:
                await query.answer()
            except Exception:  # noqa: BLE001 — an old or already-answered query is not fatal
                log.info("could not answer callback query of update %s", update.update_id)
        inbound = self.inbound_for(update) or await self._with_media(update)
        if inbound is None or update.effective_user is None:
            return
        user_id = update.effective_user.id
        chat_id = update.effective_chat.id if update.effective_chat else user_id
        if inbound.is_group:
            self._group(inbound, chat_id, context)
            return
        async with self._one_at_a_time(user_id):
            await self._handle(inbound, chat_id, update, context)

    def _group(self, inbound: Inbound, chat_id: int, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Answer (or ignore) a group update at once; the reply goes out in the background."""
        reply = self.flows.handle(inbound)  # no lock, no database for groups (FlowRunner.handle)
        if not reply.prompts:
            return
        if not self.group_replies.admit(chat_id):
            log.debug("group %s: update %s not answered (group reply limit)", chat_id, inbound.update_key)
            return

        async def send() -> None:
            for prompt in reply.prompts:
                shown = mainland_mode.pointer(prompt, reply=True) if self.mainland else prompt
                await send_prompt(context.bot, chat_id, shown, reply.locale, reply.timezone)

        self.group_replies.send(chat_id, send)

    async def _with_media(self, update: Update) -> Inbound | None:
        """A private photo or voice message (with its caption), saved to the media store first; else None."""
        message, user, chat = update.message, update.effective_user, update.effective_chat
        if (self.media is None or message is None or user is None or user.is_bot or not (message.photo or message.voice)
                or (chat is not None and chat.type in GROUP_CHATS)):  # no child's letter in a group chat
            return None
        media = await save_media(message, self.media)
        if not media:
            return None
        return Inbound(channel=Channel.TELEGRAM.value, account_id=str(user.id), text=message.caption,
                       update_key=str(update.update_id), language_code=user.language_code, media=media)

    async def _handle(self, inbound: Inbound, chat_id: int, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        try:
            reply = await asyncio.to_thread(self.flows.handle, inbound)
            for prompt in reply.prompts:
                await send_prompt(
                    context.bot,
                    chat_id,
                    mainland_mode.pointer(prompt, reply=True) if self.mainland else prompt,
                    reply.locale,
                    reply.timezone,
                    rate_limit_args=REPLY_FLOOD_RETRIES,
                )
                if prompt.attachment is not None and not self.mainland:  # no files over Telegram in mainland mode
                    await send_attachment(context.bot, chat_id, prompt.attachment,
                                          rate_limit_args=REPLY_FLOOD_RETRIES)
        except Exception:
            log.exception("failed to handle update %s from user %s", update.update_id, inbound.account_id)
            locale = normalise_locale(inbound.language_code, self.default_locale)
            try:
                await send_prompt(context.bot, chat_id, Prompt(APOLOGY), locale, "UTC")
            except Exception:  # noqa: BLE001 — the apology is best effort
                log.exception("could not send the apology for update %s", update.update_id)


async def _log_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    # Errors outside UpdateHandler (e.g. polling network errors): log, never crash.
    update_id = getattr(update, "update_id", None)
    log.error("telegram error (update %s): %r", update_id, context.error)


def build_application(
    token: str,
    flows: Flows,
    *,
    api_url: str = "https://api.telegram.org/bot",
    webhook: bool = False,
    default_locale: str = "zh_Hans",
    rate_limit: bool = True,
    pacer: Pacer | None = None,
    mainland: bool = False,
    media: MediaStore | None = None,
) -> Application:
    """Build the PTB Application (not yet initialised or started).

    Args:
        token: bot token from @BotFather.
        flows: the flow runner.
        api_url: Bot API base URL ending in ``/bot`` (``GUANAI_TELEGRAM_API_URL``),
            for a self-hosted Bot API server or a test double; the token is appended.
        webhook: True for webhook mode: no Updater (updates arrive through
            ``bot.web``); False for polling.
        default_locale: locale of the apology when a user's language is unknown.
        rate_limit: keep to Telegram's limits (always in production; the
            throughput benchmark turns the limits off to measure the bot's own
            capacity).
        pacer: the pacer of every call (replies and outbox sends); default a new
            one with Telegram's limits (``bot.services.pacing.TELEGRAM``), or
            none with ``rate_limit=False``.
        mainland: send no personal data over Telegram, only a pointer
            (``GUANAI_TELEGRAM_MAINLAND_MODE``, :mod:`bot.handlers.telegram.mainland`).
        media: the media store for photos and voice messages (letters); None: they are ignored.

    Returns:
        the Application; its ``post_init`` registers the command menu.
    """
    use_timedelta_durations()
    # Telegram's limits (module doc); with rate_limit off only the RetryAfter handling stays.
    pacer = pacer or Pacer(TELEGRAM if rate_limit else UNLIMITED)
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(api_url)
        .base_file_url(file_url_for(api_url))
        .concurrent_updates(CONCURRENT_UPDATES)
        .post_init(_post_init)
        .rate_limiter(PacedRateLimiter(pacer))
        .request(paced_request(pacer))  # calls counted when written (bot.handlers.telegram.limiter)
    )
    if webhook:
        builder = builder.updater(None)
    application = builder.build()
    application.bot_data[mainland_mode.BOT_DATA_KEY] = mainland  # read by bot.bootstrap.make_telegram_sender
    handler = UpdateHandler(flows, default_locale, media, mainland=mainland)
    application.add_handler(MessageHandler(filters.TEXT | filters.PHOTO | filters.VOICE, handler))
    application.add_handler(CallbackQueryHandler(handler))
    application.add_error_handler(_log_error)
    return application


async def _post_init(application: Application) -> None:
    await register_command_menu(application.bot)
