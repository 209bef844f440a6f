"""Access rules: who may see and act on which child (contract stub). Deny by default."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.services.identity import Actor
from bot.store.uow import UnitOfWork


class Purpose(StrEnum):
    TALK = "talk"  # log a talk record
    INCIDENT = "incident"  # report an incident
    VIEW = "view"  # see the child's archive


@dataclass(frozen=True)
class ChildRef:
    """A child as shown in a picker: id, name and class name (to tell namesakes apart)."""

    id: int
    name: str
    class_name: str | None


def find_children(uow: UnitOfWork, actor: Actor, *, purpose: Purpose, name: str | None = None) -> list[ChildRef]:
    """Children in the actor's scope for ``purpose``, optionally matching ``name`` exactly.

    An out-of-scope child is indistinguishable from an unknown name (empty list).
    """
    raise NotImplementedError


def can_act_on_child(uow: UnitOfWork, actor: Actor, child_id: int, *, purpose: Purpose) -> bool:
    """Whether the actor may act on this child for ``purpose``."""
    raise NotImplementedError
