"""The people a roster import writes, kept small: a city's roster plans about 735,000 of them."""

from __future__ import annotations

import marshal
from collections.abc import Iterator, Mapping
from typing import Any

_ROLESETS: dict[frozenset[str], frozenset[str]] = {}
_FIELDS = ("name", "phone", "work_place", "age", "health")


class PersonPlan:
    """One person the import writes: merged from every row that names them.

    Kept small (a city's roster plans about 735,000 people): the values are
    one packed ``bytes`` (``marshal``), the role sets are shared between people.
    """

    __slots__ = ("_data", "id", "roles")

    def __init__(self, name: str, phone: str | None = None, roles: frozenset[str] = frozenset(),
                 work_place: str | None = None, age: int | None = None, health: str | None = None) -> None:
        self._data = marshal.dumps((name, phone, work_place, age, health))
        self.roles = roles
        self.id: int | None = None

    def _values(self) -> tuple[Any, ...]:
        values: tuple[Any, ...] = marshal.loads(self._data)  # noqa: S302 - our own bytes, made above
        return values

    @property
    def name(self) -> str:  # noqa: D102
        return str(self._values()[0])

    @property
    def phone(self) -> str | None:  # noqa: D102
        phone: str | None = self._values()[1]
        return phone

    @property
    def work_place(self) -> str | None:  # noqa: D102
        work_place: str | None = self._values()[2]
        return work_place

    @property
    def age(self) -> int | None:  # noqa: D102
        age: int | None = self._values()[3]
        return age

    @property
    def health(self) -> str | None:  # noqa: D102
        health: str | None = self._values()[4]
        return health

    def columns(self) -> dict[str, Any]:
        """The person's values by column (name, phone, work_place, age, health)."""
        return dict(zip(_FIELDS, self._values(), strict=True))

    def merge(self, **values: Any) -> None:
        """Take the values given (not None)."""
        # The same person on several rows (siblings): the last value given wins.
        given = {k: v for k, v in values.items() if v is not None}
        if given:
            current = self.columns() | given
            self._data = marshal.dumps(tuple(current[f] for f in _FIELDS))

    def add_role(self, role: str) -> None:
        """Give the person ``role`` too (role sets are shared between people)."""
        roles = self.roles | {role}
        self.roles = _ROLESETS.setdefault(roles, roles)


class PersonPlans:
    """Natural key → :class:`PersonPlan`; the keys held as UTF-8 (half the size of a str with Chinese in it)."""

    def __init__(self) -> None:
        self._plans: dict[bytes, PersonPlan] = {}

    def setdefault(self, key: str, name: str) -> PersonPlan:
        """The plan of ``key``, a new one named ``name`` if there is none yet."""
        raw = key.encode()
        plan = self._plans.get(raw)
        if plan is None:
            plan = self._plans[raw] = PersonPlan(name)
        return plan

    def get(self, key: str) -> PersonPlan | None:
        """The plan of ``key``, if any."""
        return self._plans.get(key.encode())

    def __getitem__(self, key: str) -> PersonPlan:
        return self._plans[key.encode()]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.encode() in self._plans

    def __iter__(self) -> Iterator[str]:
        return (key.decode() for key in self._plans)

    def __len__(self) -> int:
        return len(self._plans)

    def items(self) -> Iterator[tuple[str, PersonPlan]]:
        """``(natural key, plan)`` in planning order."""
        return ((key.decode(), plan) for key, plan in self._plans.items())


class People:
    """Natural key → person id: the planned people's (filled as they are written), then the known ones."""

    def __init__(self, plans: PersonPlans, known: dict[str, dict[str, Any]]) -> None:
        self.plans, self.known = plans, known

    def __getitem__(self, key: str) -> int:  # noqa: D105
        plan = self.plans.get(key)
        if plan is not None and plan.id is not None:
            return plan.id
        return int(self.known[key]["id"])


class RolesOf(Mapping[str, set[str]]):
    """Natural key → planned roles, as :func:`bot.services.roster_shared.adopt` reads them."""

    def __init__(self, plans: PersonPlans) -> None:
        self.plans = plans

    def __getitem__(self, key: str) -> set[str]:  # noqa: D105
        return set(self.plans[key].roles)

    def __iter__(self) -> Iterator[str]:  # noqa: D105
        return iter(self.plans)

    def __len__(self) -> int:  # noqa: D105
        return len(self.plans)
