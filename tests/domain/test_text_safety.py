"""Spreadsheet and terminal safety of text that leaves the bot (issue 10, item 8)."""

from __future__ import annotations

import pytest

from bot.domain.text_safety import spreadsheet_safe, terminal_safe


@pytest.mark.parametrize("value", [
    '=HYPERLINK("http://x","点我")', "+1+1", '-1+HYPERLINK("http://x")', "@SUM(A1:A3)", "\t=1+1", "\r=1+1",
    "\tplain", "  =1+1", "\n-2", "＝1+1", "＋8613800131234", "－cmd|' /C calc'!A0", "＠A1", "-与兄弟姐妹同校",
    "+8613800131234",
])
def test_text_a_spreadsheet_would_evaluate_is_shown_as_text(value: str) -> None:
    assert spreadsheet_safe(value) == "'" + value


@pytest.mark.parametrize("value", ["张三", "孩子说: =不开心", "a=b", "", None, 3, 2.5, "1+1"])
def test_other_values_are_unchanged(value: object) -> None:
    assert spreadsheet_safe(value) == value


def test_terminal_text_loses_escape_sequences_controls_and_bidi_overrides_but_keeps_lines() -> None:
    hostile = ("张三\x1b]0;pwned\x07\x1b[2J\x1b[31m红\x1b[0m\r\n第二行\ttab\x07\x08\x9b2J\u202eevil\x1bPq#0;\x1b\\"
               "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\")
    assert terminal_safe(hostile) == "张三红\n第二行\ttabevillink"
