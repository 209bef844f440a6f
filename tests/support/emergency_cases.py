"""Emergency-word cases for ``pytest.mark.parametrize``, written under their kind instead of one pair a line."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.emergency_words import EmergencyKind


def by_kind(**words: Sequence[str]) -> list[tuple[str, EmergencyKind]]:
    """``(typed, kind)`` pairs from messages listed under their kind's name.

    Example: ``by_kind(POLICE=["孩子不见了"], MEDICAL=["孩子抽搐了"])`` is
    ``[("孩子不见了", EmergencyKind.POLICE), ("孩子抽搐了", EmergencyKind.MEDICAL)]``.

    Raises:
        KeyError: a name that is no :class:`~bot.domain.emergency_words.EmergencyKind` member.
    """
    return [(typed, EmergencyKind[kind]) for kind, listed in words.items() for typed in listed]
