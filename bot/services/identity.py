"""Identity: invites, binding chat accounts to people, who is writing (contract stub)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.store.uow import UnitOfWork


@dataclass(frozen=True)
class Actor:
    """The person behind a bound chat account.

    Attributes:
        person_id, name, school_id: from the person's record.
        roles: ``bot.domain.enums.Role`` values.
        locale: stored locale (``zh_Hans``/``en``), or the school default.
        timezone: the school's IANA zone.
    """

    person_id: int
    name: str
    school_id: int
    roles: frozenset[str]
    locale: str
    timezone: str


class BindStatus(StrEnum):
    BOUND = "bound"
    WRONG = "wrong"  # no such code
    USED = "used"
    EXPIRED = "expired"
    THROTTLED = "throttled"  # too many wrong codes from this chat; retry_after_seconds says how long


@dataclass(frozen=True)
class BindOutcome:
    status: BindStatus
    actor: Actor | None = None
    retry_after_seconds: float | None = None


def bind(uow: UnitOfWork, *, channel: str, account_id: str, code: str, now: datetime) -> BindOutcome:
    """Bind a chat account to the invited person with a one-time code."""
    raise NotImplementedError


def actor_for(uow: UnitOfWork, *, channel: str, account_id: str, now: datetime) -> Actor | None:
    """The bound person of a chat account, or None (unbound). Updates last_seen_at."""
    raise NotImplementedError


def set_locale(uow: UnitOfWork, *, person_id: int, locale: str) -> None:
    """Store the person's chosen language (``zh_Hans`` or ``en``)."""
    raise NotImplementedError
