"""Render prompts as Telegram messages: HTML text and inline keyboards.

Platform limits (Bot API ``sendMessage`` / ``InlineKeyboardButton``):

* message text: 1–4096 characters after entity parsing. We split the raw
  HTML (which is never shorter than the parsed text) into parts of at most
  :data:`MAX_TEXT` characters, on line boundaries where possible, so every
  part is accepted;
* ``callback_data``: 1–64 bytes. :class:`bot.messages.prompt.Choice` already
  refuses longer payloads, so payloads are passed through untouched.
"""

from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.handlers.text import pack_lines
from bot.i18n import render
from bot.messages.prompt import Prompt

MAX_TEXT = 4096
"""Bot API limit on a message's text, in characters."""

SHORT_LABEL_WIDTH = 14
"""Labels at most this wide (CJK characters count twice) are laid out two per row."""


@dataclass(frozen=True)
class OutgoingMessage:
    """One ``sendMessage`` call.

    Attributes:
        text: HTML text, at most :data:`MAX_TEXT` characters.
        reply_markup: the inline keyboard, on the last part of a prompt only.
    """

    text: str
    reply_markup: InlineKeyboardMarkup | None = None


def _width(label: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in label)


def keyboard(choices: tuple[tuple[str, str], ...]) -> InlineKeyboardMarkup | None:
    """An inline keyboard: two buttons per row when every label is short, else one per row.

    Args:
        choices: ``(label, payload)`` pairs; labels are plain text (Telegram
            shows button labels without parsing HTML).
    """
    if not choices:
        return None
    buttons = [InlineKeyboardButton(label, callback_data=payload) for label, payload in choices]
    per_row = 2 if len(buttons) > 1 and all(_width(label) <= SHORT_LABEL_WIDTH for label, _ in choices) else 1
    return InlineKeyboardMarkup([buttons[i : i + per_row] for i in range(0, len(buttons), per_row)])


def _cut_long_line(line: str, limit: int) -> list[str]:
    """Cut one over-long line at spaces, else hard, never inside an HTML entity such as ``&lt;``."""
    pieces = []
    while utf16_len(line) > limit:
        limit_chars = limit - (utf16_len(line[:limit]) - len(line[:limit]))  # astral characters count twice
        cut = line.rfind(" ", 0, limit_chars + 1)
        if cut <= 0:
            cut = limit_chars
            amp = line.rfind("&", max(0, cut - 10), cut)
            if amp != -1 and ";" not in line[amp:cut]:
                cut = amp or limit_chars
        pieces.append(line[:cut])
        line = line[cut:].lstrip(" ")
    pieces.append(line)
    return pieces


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Split ``text`` into parts of at most ``limit`` UTF-16 code units (Telegram's 4096), at line ends if possible.

    Returns:
        the parts in order; one part when the text fits. Empty parts are dropped
        (Telegram refuses an empty message).
    """
    if utf16_len(text) <= limit:
        return [text]
    return pack_lines(text, limit, utf16_len, _cut_long_line)


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def to_messages(prompt: Prompt, locale: str, timezone: str, *, as_html: bool = True) -> list[OutgoingMessage]:
    """Render one prompt as the Telegram messages that carry it.

    With ``as_html`` (sent with ``parse_mode=HTML``), user-written text in the
    parameters is HTML-escaped and catalog text may use Telegram's HTML tags;
    without, everything is plain text (the fallback when Telegram cannot
    parse the HTML). The keyboard goes on the last part.

    Args:
        prompt: what to say.
        locale: recipient's locale (``zh_Hans`` / ``en``).
        timezone: the school's IANA zone for dates and times.
        as_html: render for ``parse_mode=HTML``.
    """
    rendered = render(prompt, locale, timezone, escape=html.escape if as_html else (lambda s: s))
    parts = split_text(rendered.text) or ["…"]
    markup = keyboard(rendered.choices)
    return [
        OutgoingMessage(text=part, reply_markup=markup if i == len(parts) - 1 else None)
        for i, part in enumerate(parts)
    ]
