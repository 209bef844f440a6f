"""Photos and voice messages on Telegram (letters and replies, issue 8 item 4): in to the media store, and out.

In: the largest size of a photo (``getFile`` then the file download) or a
voice message, kept in the media store; the flow sees only the ref. Out: each
``(kind, ref)`` of a prompt as ``sendPhoto`` / ``sendVoice`` before its text.
Nothing about the file but its ref and size is ever logged.
"""

from __future__ import annotations

import logging

from telegram import Bot, Message, PhotoSize, Voice

from bot.services.ports import MediaStore

log = logging.getLogger(__name__)

MAX_BYTES = 10 * 1024 * 1024  # a phone photo of a letter page is 1–5 MB; refuse anything absurd


async def save_media(message: Message, store: MediaStore) -> tuple[tuple[str, str], ...]:
    """The message's photo or voice message, saved: ``(("photo", ref),)``; empty when it has neither (or too big)."""
    item: PhotoSize | Voice
    if message.photo:
        item, kind, suffix = max(message.photo, key=lambda size: size.width * size.height), "photo", ".jpg"
    elif message.voice is not None:
        item, kind, suffix = message.voice, "voice", ".ogg"
    else:
        return ()
    if item.file_size is not None and item.file_size > MAX_BYTES:
        log.info("telegram message %s: %s of %s bytes refused", message.message_id, kind, item.file_size)
        return ()
    data = await (await item.get_file()).download_as_bytearray()
    return ((kind, store.save(bytes(data), suffix)),)


async def send_media(bot: Bot, chat_id: int, media: tuple[tuple[str, str], ...], store: MediaStore) -> None:
    """Each photo or voice message of a prompt, in order (a file gone from the store is skipped and logged)."""
    for kind, ref in media:
        try:
            data = store.load(ref)
        except (OSError, ValueError):
            log.warning("media file of a prompt to chat %s is missing; sent without it", chat_id)
            continue
        if kind == "voice":
            await bot.send_voice(chat_id=chat_id, voice=data)
        else:
            await bot.send_photo(chat_id=chat_id, photo=data)
