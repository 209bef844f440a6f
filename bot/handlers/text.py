"""Splitting long texts into messages a platform accepts (shared by the channels)."""

from __future__ import annotations

from collections.abc import Callable


def pack_lines(text: str, limit: int, size: Callable[[str], int], cut: Callable[[str, int], list[str]]) -> list[str]:
    """Pack ``text`` line by line into parts with ``size(part) <= limit``.

    Args:
        text: the whole message.
        limit: the platform's limit in the unit ``size`` measures.
        size: the platform's measure (Telegram: UTF-16 code units; WeChat: UTF-8 bytes).
        cut: cuts one line longer than ``limit`` into pieces that fit.

    Returns:
        the parts in order; blank parts are dropped (platforms refuse empty messages).
    """
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        for piece in cut(line, limit):
            candidate = f"{current}\n{piece}" if current else piece
            if size(candidate) <= limit:
                current = candidate
            else:
                if current.strip():
                    parts.append(current)
                current = piece
    if current.strip():
        parts.append(current)
    return parts
