"""The ids of the people a roster import names: planned ones from the stage, else the school's known ones."""

from __future__ import annotations

from typing import Any

from bot.adapters.roster_stage import RosterStage


class People:
    """Natural key → person id: the planned people's (in the stage, filled as they are written), then the known ones."""

    def __init__(self, stage: RosterStage, known: dict[str, dict[str, Any]]) -> None:
        self.stage, self.known = stage, known

    def __getitem__(self, key: str) -> int:  # noqa: D105
        person_id = self.stage.person_id(key)
        if person_id is not None:
            return person_id
        return int(self.known[key]["id"])
