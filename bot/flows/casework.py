"""The case-work flows and commands (issue 9), registered with the runner in one place.

``FLOWS`` maps a flow name (``Conversation.flow``) to its module (``on_choice``
and ``on_text``); ``COMMANDS`` maps a command name (a value of
``bot.flows.commands.COMMANDS``) to its starter.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from bot.flows import aid, card, plan, tasks
from bot.flows.common import Ctx
from bot.messages.prompt import Prompt

FLOWS: dict[str, ModuleType] = {"tasks": tasks, "card": card, "plan": plan, "aid": aid}
COMMANDS: dict[str, Callable[[Ctx, str], list[Prompt]]] = {
    **tasks.COMMANDS, **card.COMMANDS, **plan.COMMANDS, **aid.COMMANDS}
