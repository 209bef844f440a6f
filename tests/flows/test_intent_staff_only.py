"""Slash-less staff command words are messages from a family, but never the words families use themselves."""

from __future__ import annotations

from bot.flows.family import FAMILY_COMMANDS
from bot.flows.intent import STAFF_ONLY


def test_no_family_command_is_staff_only() -> None:
    # 开会 (her meeting invitation again), 月报, 亲情电话 are a family's own commands: never passed on as words.
    assert STAFF_ONLY.isdisjoint(FAMILY_COMMANDS)
