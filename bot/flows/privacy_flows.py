"""The privacy features' flows and commands, registered with the runner in one place: /privacy and /audit."""

from __future__ import annotations

from typing import Any

from bot.flows import audit, privacy

FLOWS: dict[str, Any] = {"privacy": privacy, "audit": audit}
COMMANDS = {**privacy.COMMANDS, **audit.COMMANDS}
