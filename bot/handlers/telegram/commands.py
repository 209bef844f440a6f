"""The command menu shown by Telegram clients, in Chinese and English.

``setMyCommands`` takes up to 100 commands, each a 1–32 character name of
``a-z 0-9 _`` and a 1–256 character description (Bot API ``BotCommand``).
The English list is the default; the Chinese one is registered with
``language_code="zh"`` so clients set to any Chinese variant show it.
"""

from __future__ import annotations

from telegram import Bot, BotCommand

from bot.i18n import gettext
from bot.messages.prompt import N_

COMMANDS: tuple[tuple[str, str], ...] = (
    ("talk", N_("Log a talk with a child (谈心)")),
    ("incident", N_("Report an incident about a child")),
    ("due", N_("Show the talks you have due or overdue")),
    ("me", N_("Show who the bot knows you as")),
    ("lang", N_("Switch language: 中文 / English")),
    ("help", N_("What this bot can do")),
    ("cancel", N_("Cancel what you are doing")),
)
"""Command names and description message ids (the flows understand each command)."""

MENU_LANGUAGES: tuple[tuple[str | None, str], ...] = ((None, "en"), ("zh", "zh_Hans"))
"""(Telegram ``language_code`` or None for the default, our locale) pairs."""


def command_menu(locale: str) -> list[BotCommand]:
    """The menu's commands with descriptions translated into ``locale``."""
    return [BotCommand(name, gettext(locale, description)) for name, description in COMMANDS]


async def register_command_menu(bot: Bot) -> None:
    """Register the menu for every language in :data:`MENU_LANGUAGES` (one ``setMyCommands`` each).

    Raises:
        telegram.error.TelegramError: Telegram refused the call.
    """
    for language_code, locale in MENU_LANGUAGES:
        await bot.set_my_commands(command_menu(locale), language_code=language_code)
