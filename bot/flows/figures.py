"""The commands for superiors' work, registered together: ``/report``, ``/export`` (and ``/web``)."""

from __future__ import annotations

from collections.abc import Callable

from bot.flows import export, report, web_link
from bot.flows.common import Ctx
from bot.messages.prompt import Prompt

COMMANDS: dict[str, Callable[[Ctx, str], list[Prompt]]] = {**report.COMMANDS, **export.COMMANDS, "web": web_link.web}
"""Command name (``bot.flows.commands.COMMANDS`` value) → handler."""
FLOWS = {"export": export}
"""Flow name (``Conversation.flow``) → its module (``on_choice`` and ``on_text``)."""
