"""The console channel: chat with the bot in a terminal (``guanai demo``), or from a pipe."""

from bot.handlers.console.channel import ConsoleSender, ConsoleSession, render_text

__all__ = ["ConsoleSender", "ConsoleSession", "render_text"]
