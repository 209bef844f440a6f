"""WeChat rendering: numbered choices with the catalog's labels, and the 2048-byte text limit."""

from __future__ import annotations

from bot.handlers.wechat.incoming import clean_text
from bot.handlers.wechat.render import MAX_BYTES, render_text, reply_texts, split_text
from bot.messages.prompt import Choice, Prompt, msg, text


def test_choices_are_numbered_with_a_hint_in_the_recipients_language() -> None:
    prompt = Prompt("You said: {said}", {"said": text("<b>hi</b>")},
                    choices=(Choice("Yes", "f:1:yes"), Choice("No", "f:1:no")))
    assert render_text(prompt, "en") == "You said: <b>hi</b>\n1. Yes  2. No\n(Reply with the number)"
    assert render_text(prompt, "zh_Hans").endswith("\n1. 是  2. 否\n（回复数字即可）")  # labels from the catalog
    assert render_text(Prompt("Plain"), "en") == "Plain"


def test_long_text_is_split_under_2048_utf8_bytes_on_line_boundaries() -> None:
    lines = [f"第{i}行：" + "留守儿童关爱" * 20 for i in range(40)]
    parts = split_text("\n".join(lines))
    assert len(parts) > 1
    assert all(len(p.encode("utf-8")) <= MAX_BYTES for p in parts)
    assert "\n".join(parts) == "\n".join(lines)  # nothing lost, cut only between lines


def test_one_overlong_line_is_cut_between_characters_never_inside_one() -> None:
    line = "😀" * 1000  # 4 bytes each
    parts = split_text(line)
    assert [len(p.encode("utf-8")) for p in parts] == [2048, 1952]
    assert "".join(parts) == line


def test_a_reply_of_several_prompts_fits_one_passive_message_when_short() -> None:
    assert reply_texts([Prompt("One"), Prompt("Two")], "en", "Asia/Shanghai") == ["One\n\nTwo"]
    assert reply_texts([], "en", "Asia/Shanghai") == []


def test_control_characters_are_dropped_and_emoji_kept() -> None:
    assert clean_text("a\x00b\x7f\x85c\r\nd\te👨‍👩‍👧") == "abc\nd e👨‍👩‍👧"


def test_the_custom_menu_has_click_buttons_whose_keys_the_callback_understands() -> None:
    from bot.handlers.wechat.incoming import MENU_COMMANDS
    from bot.handlers.wechat.menu import menu_json

    menu = menu_json("zh_Hans")
    buttons = [*menu["button"][:2], *menu["button"][2]["sub_button"]]
    assert [(b["type"], b["name"], b["key"]) for b in buttons] == [
        ("click", "每周联系", "checkin"), ("click", "报告", "incident"), ("click", "谈心", "talk"),
        ("click", "帮助", "help"),
    ]
    assert all(b["key"] in MENU_COMMANDS or b["key"] == "checkin" for b in buttons)
    # WeChat's limit on a first-level button name: 16 bytes.
    assert all(len(b["name"].encode()) <= 16 for b in menu_json("en")["button"])


def test_a_question_that_names_its_words_to_type_is_not_followed_by_them_again() -> None:
    from bot.handlers.console.channel import render_text as console_text
    from bot.services import binding_messages as m

    asked = Prompt(m.PROBATION_ASK, {"channel": "WeChat", "when": text("09:00"), "yes": msg(m.IT_WAS_ME),
                                     "no": msg(m.NOT_ME)},
                   choices=(Choice(m.IT_WAS_ME, "bc:1:1:y", typed=True), Choice(m.NOT_ME, "bc:1:1:n")))
    for shown in (render_text(asked, "zh_Hans"), console_text(asked, "zh_Hans")):
        assert shown.endswith("是您本人新绑定的吗？为避免误操作，请用文字回答，不能用数字：请输入“是我”或“不是我”。")
    closing = Prompt("Close it?", choices=(Choice("Confirm close", "f:1:close", typed=True), Choice("No", "f:1:no")))
    assert render_text(closing, "en").endswith("\n(Reply with the words: “Confirm close” / “No”)")  # as before
