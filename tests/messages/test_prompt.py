"""Prompts (bot.messages.prompt): kinds survive the outbox; payloads keep Telegram's limit."""

from __future__ import annotations

import pytest

from bot.messages.prompt import Choice, Prompt, PromptKind, text


def test_a_prompt_keeps_its_kind_through_the_outbox() -> None:
    prompt = Prompt("How is {child} this week?", {"child": text("张三")}, choices=(Choice("All good", "ci:1:g"),),
                    kind=PromptKind.CHECKIN)
    back = Prompt.from_dict(prompt.to_dict())
    assert back == prompt and back.kind == "checkin"


def test_a_row_written_before_kinds_existed_has_none() -> None:
    assert Prompt.from_dict({"message_id": "Hello", "params": {}, "choices": [], "lines": []}).kind is None


def test_a_choice_refuses_a_payload_telegram_would_refuse() -> None:
    with pytest.raises(ValueError):
        Choice("x", "é" * 33)  # 66 bytes of UTF-8
    assert Choice("x", "é" * 32).payload
