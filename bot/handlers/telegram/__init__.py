"""The Telegram channel (python-telegram-bot 22): the only package that imports ``telegram``."""

from bot.handlers.telegram.app import ALLOWED_UPDATES, UpdateHandler, build_application
from bot.handlers.telegram.commands import register_command_menu
from bot.handlers.telegram.lifecycle import telegram_running
from bot.handlers.telegram.sender import TelegramSender
from bot.handlers.telegram.webhook import update_receiver

__all__ = [
    "ALLOWED_UPDATES",
    "TelegramSender",
    "UpdateHandler",
    "build_application",
    "register_command_menu",
    "telegram_running",
    "update_receiver",
]
