"""Rendering prompts for Telegram: escaping, keyboards, the 4096-character limit."""

from __future__ import annotations

from bot.handlers.telegram.render import MAX_TEXT, keyboard, split_text, to_messages
from bot.messages.prompt import Choice, Prompt, text


def test_user_text_is_html_escaped() -> None:
    [message] = to_messages(Prompt("Hello {name}", {"name": text("<i>A&B</i>")}), "en", "Asia/Shanghai")
    assert message.text == "Hello &lt;i&gt;A&amp;B&lt;/i&gt;"
    assert message.reply_markup is None


def test_short_labels_go_two_per_row_long_ones_one_per_row() -> None:
    short = keyboard((("好", "ci:1:g"), ("一般", "ci:1:s"), ("需要帮助", "ci:1:h")))
    assert [[b.text for b in row] for row in short.inline_keyboard] == [["好", "一般"], ["需要帮助"]]
    long = keyboard((("张三 (三年级二班, 2015-03-04)", "f:3:1"), ("张三 (五年级一班)", "f:3:2")))
    assert [len(row) for row in long.inline_keyboard] == [1, 1]
    assert long.inline_keyboard[0][0].callback_data == "f:3:1"


def test_a_single_overlong_line_is_cut_without_breaking_an_entity() -> None:
    line = "&lt;" * 2000  # 8000 characters, no spaces or newlines
    parts = split_text(line)
    assert all(len(p) <= MAX_TEXT for p in parts)
    assert "".join(parts) == line
    assert all(p.endswith("&lt;") for p in parts)


def test_choices_with_a_long_message_put_the_keyboard_on_the_last_part_only() -> None:
    body = "\n".join("x" * 1000 for _ in range(9))
    messages = to_messages(Prompt("{b}", {"b": text(body)}, choices=(Choice("OK", "f:1:ok"),)), "en", "UTC")
    assert len(messages) == 3
    assert [m.reply_markup is not None for m in messages] == [False, False, True]


def test_a_self_hosted_bot_api_url_is_used_for_methods_and_files() -> None:
    from bot.handlers.telegram import build_application
    from tests.support.fakes import FakeFlows

    application = build_application("123:abc", FakeFlows(), api_url="http://10.0.0.5:8081/bot")
    assert application.bot.base_url == "http://10.0.0.5:8081/bot123:abc"
    assert application.bot.base_file_url == "http://10.0.0.5:8081/file/bot123:abc"


def test_emoji_count_twice_towards_telegrams_4096_limit() -> None:
    from bot.handlers.telegram.render import split_text, utf16_len

    text = "😀" * 3000  # 3000 characters, 6000 UTF-16 code units
    parts = split_text(text)
    assert len(parts) == 2 and "".join(parts) == text
    assert all(utf16_len(p) <= 4096 for p in parts)
