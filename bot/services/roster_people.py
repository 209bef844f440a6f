"""The people a roster import writes, kept small: a city's roster plans about 735,000 of them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

_ROLESETS: dict[frozenset[str], frozenset[str]] = {}


@dataclass(slots=True)
class PersonPlan:
    """One person the import writes: merged from every row that names them."""

    # Slots and shared role sets: a city's roster plans about 735,000 people.
    name: str
    phone: str | None = None
    roles: frozenset[str] = frozenset()
    work_place: str | None = None
    age: int | None = None
    health: str | None = None
    id: int | None = None

    def merge(self, **values: Any) -> None:
        """Take the values given (not None)."""
        # The same person on several rows (siblings): the last value given wins.
        for k, v in values.items():
            if v is not None:
                setattr(self, k, v)

    def add_role(self, role: str) -> None:
        """Give the person ``role`` too (role sets are shared between people)."""
        roles = self.roles | {role}
        self.roles = _ROLESETS.setdefault(roles, roles)


class People:
    """Natural key → person id: the planned people's (filled as they are written), then the known ones."""

    def __init__(self, plans: dict[str, PersonPlan], known: dict[str, dict[str, Any]]) -> None:
        self.plans, self.known = plans, known

    def __getitem__(self, key: str) -> int:  # noqa: D105
        plan = self.plans.get(key)
        if plan is not None and plan.id is not None:
            return plan.id
        return int(self.known[key]["id"])


class RolesOf(Mapping[str, set[str]]):
    """Natural key → planned roles, as :func:`bot.services.roster_shared.adopt` reads them."""

    def __init__(self, plans: dict[str, PersonPlan]) -> None:
        self.plans = plans

    def __getitem__(self, key: str) -> set[str]:  # noqa: D105
        return set(self.plans[key].roles)

    def __iter__(self) -> Iterator[str]:  # noqa: D105
        return iter(self.plans)

    def __len__(self) -> int:  # noqa: D105
        return len(self.plans)
