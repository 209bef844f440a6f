"""Render prompts as WeChat / WeCom text: numbered choices instead of buttons.

WeChat has no inline buttons. A prompt's choices are shown as a numbered line
(``1. 好  2. 一般  3. 需要帮助``) and a hint (``（回复数字即可）``); the flow
engine maps a reply ``1`` / ``２`` to the same choice payload a Telegram
button carries, for the chat's current question only (``bot.flows.agenda``:
every message numbers its choices from 1).

Platform limit: a text message (passive reply, customer-service message, WeCom
app message) carries at most :data:`MAX_BYTES` = 2048 bytes of UTF-8 content;
longer text is split on line boundaries where possible, else between
characters, never inside a UTF-8 sequence.
"""

from __future__ import annotations

from bot.handlers.text import pack_lines
from bot.i18n import gettext, render
from bot.messages.prompt import N_, Prompt

MAX_BYTES = 2048
"""WeChat's limit on a text message's content, in UTF-8 bytes."""

REPLY_WITH_NUMBER = N_("(Reply with the number)")
REPLY_WITH_WORDS = N_("(Reply with the words: {choices})")


def words_only(prompt: Prompt, labels: list[str]) -> str | None:
    """The hint for a question with a typed-only choice (``Choice.typed``): the words to type, no numbers.

    Closing an incident is never answered with a number (DESIGN.md "Conversations"),
    so such a question shows its answers as words; None for any other question.
    """
    if not any(c.typed for c in prompt.choices):
        return None
    return " / ".join(f"“{label}”" for label in labels)


def named_already(text: str, labels: list[str]) -> bool:
    """Whether a question with typed-only answers quotes each of them itself (“是我”, “不是我”)."""
    return bool(labels) and all(f"“{label}”" in text for label in labels)


def render_text(prompt: Prompt, locale: str, timezone: str = "Asia/Shanghai") -> str:
    """One prompt as WeChat text: the message, then its choices numbered on one line and a hint.

    Args:
        prompt: what to say.
        locale: recipient's locale (``zh_Hans`` / ``en``).
        timezone: the school's IANA zone for dates and times.
    """
    rendered = render(prompt, locale, timezone)
    if not rendered.choices:
        return rendered.text
    words = words_only(prompt, [label for label, _payload in rendered.choices])
    if words is not None and named_already(rendered.text, [label for label, _payload in rendered.choices]):
        return rendered.text  # "请输入“是我”或“不是我”" (bot.services.binding_probation): said once is enough
    if words is not None:
        return f"{rendered.text}\n{gettext(locale, REPLY_WITH_WORDS).format(choices=words)}"
    numbered = "  ".join(
        f"{i}. {label}" for i, (label, _payload) in enumerate(rendered.choices, start=prompt.first_number))
    return f"{rendered.text}\n{numbered}\n{gettext(locale, REPLY_WITH_NUMBER)}"


def _cut(line: str, limit: int) -> list[str]:
    """Cut one line longer than ``limit`` bytes between characters (at a space when there is one)."""
    pieces: list[str] = []
    current = ""
    for ch in line:
        if len((current + ch).encode("utf-8")) > limit:
            cut = current.rfind(" ")
            if cut > 0:
                pieces.append(current[:cut])
                current = current[cut + 1:]
            else:
                pieces.append(current)
                current = ""
        current += ch
    pieces.append(current)
    return pieces


def split_text(text: str, limit: int = MAX_BYTES) -> list[str]:
    """Split ``text`` into messages of at most ``limit`` UTF-8 bytes, on line boundaries where possible.

    Returns:
        the parts in order (one when it fits); blank parts are dropped.
    """
    if _bytes(text) <= limit:
        return [text] if text.strip() else []
    return pack_lines(text, limit, _bytes, _cut)


def _bytes(text: str) -> int:
    return len(text.encode("utf-8"))


def reply_texts(prompts: list[Prompt], locale: str, timezone: str, limit: int = MAX_BYTES) -> list[str]:
    """The text messages that carry a whole reply.

    Prompts are joined with a blank line, so a reply that fits goes out as one
    message (a passive reply can carry only one). A longer reply is cut between
    prompts where it can (``/report``'s summary, total, classes and teachers
    each start a message of their own, never half-way down another), and only
    a prompt longer than the limit by itself is split by :func:`split_text`.
    """
    texts = [render_text(p, locale, timezone) for p in prompts]
    joined = "\n\n".join(texts)
    if _bytes(joined) <= limit:
        return split_text(joined, limit)
    parts: list[str] = []
    whole = False  # whether the last part holds whole prompts only (another whole one may join it)
    for t in texts:
        pieces = split_text(t, limit)
        if len(pieces) == 1 and whole and _bytes(f"{parts[-1]}\n\n{pieces[0]}") <= limit:
            parts[-1] = f"{parts[-1]}\n\n{pieces[0]}"
            continue
        parts += pieces
        whole = len(pieces) == 1
    return parts
