"""Finding a child by a misspelt name, and telling namesakes apart (issue 6, item 3).

``杨亭`` for 杨婷, ``yangting`` typed on a phone without Chinese input: the
closest names are offered, compared by their pinyin (pypinyin) and their
characters, and only among the children the asking person may see for that
purpose (:func:`bot.services.access.find_children`), so a suggestion never
reveals a child outside their scope.

Namesakes (two 张三 in one school) are told apart by more than the class:
the date of birth, the entrusted guardian and the village of the address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher
from typing import Any

from pypinyin import Style, lazy_pinyin
from sqlalchemy import func, select

from bot.domain.enums import RelationKind
from bot.domain.traditional import simplified
from bot.messages.prompt import N_, day, msg, text
from bot.services import access
from bot.services.access import ChildRef, Purpose
from bot.services.identity import Actor, normalise_name
from bot.services.ports import UnitOfWork
from bot.store.models import Child, ChildRelation, Person, School, SchoolClass

CLOSE_ENOUGH = 0.75  # similarity (0–1) under which a name is not offered: 杨婷 for 杨亭 is 1.0, 王五 for 杨婷 0.2
MAX_SUGGESTIONS = 3
# Longer than any real name (the longest Chinese names run to about 6 characters, a pinyin spelling to ~30
# letters): such input is not compared at all, so a 20,000-character "name" costs nothing (each comparison
# is quadratic in the length, and an incident compares against every child of the school).
MAX_NAME_CHARS = 32
MAX_PARTIAL = 9  # children offered for part of a name (one message's worth of numbered answers)
_VILLAGE = re.compile(r"([^\s省市县区镇乡,，]{1,8}?[村屯寨组])")


def _sounds(name: str) -> str:
    """The toneless pinyin of a name, letters only: 杨婷 → ``yangting``; Latin input stays as typed."""
    return "".join(lazy_pinyin(normalise_name(name).casefold(), style=Style.NORMAL, errors="default")).replace(
        " ", "")


def sounds(name: str) -> str:
    """The toneless pinyin of a name, letters only (杨秀云 → ``yangxiuyun``): how a name typed in pinyin is found."""
    return _sounds(name)


def similarity(typed: str, name: str) -> float:
    """How close ``typed`` is to ``name`` (0–1): the better of their pinyin and their characters."""
    a, b = normalise_name(typed).casefold(), normalise_name(name).casefold()
    by_chars = SequenceMatcher(None, a, b).ratio()
    by_sound = SequenceMatcher(None, _sounds(a), _sounds(b)).ratio()
    return max(by_chars, by_sound)


def closest(uow: UnitOfWork, actor: Actor, *, purpose: Purpose, name: str) -> list[ChildRef]:
    """Up to :data:`MAX_SUGGESTIONS` children in ``actor``'s scope whose names are close to ``name``, best first.

    Namesakes of a suggested name are all included (the picker then tells them apart).
    """
    name = simplified(name)  # 楊婷 is compared as 杨婷
    typed = normalise_name(name).casefold()
    if not typed or len(typed) > MAX_NAME_CHARS:
        return []
    children = access.find_children(uow, actor, purpose=purpose)
    # Part of a name (杨 for 杨秀云, 杨婷): every child whose name holds it, as far as a list of answers goes.
    partial = [c for c in children if typed in normalise_name(c.name).casefold()]
    if partial:
        return sorted(partial, key=lambda c: (c.name, c.class_name or "", c.id))[:MAX_PARTIAL]
    scored = [(similarity(name, child.name), child) for child in children]
    good = sorted((pair for pair in scored if pair[0] >= CLOSE_ENOUGH), key=lambda pair: -pair[0])
    names = list(dict.fromkeys(child.name for _score, child in good))[:MAX_SUGGESTIONS]
    return [child for _score, child in good if child.name in names]


@dataclass(frozen=True)
class Details:
    """What tells a child apart from a namesake: date of birth, entrusted guardian, village (each may be None)."""

    birth_date: date | None
    guardian: str | None
    village: str | None


def village_of(address: str | None) -> str | None:
    """The village (…村, …组) in an address, or None: ``贵州省某县清溪镇河坝村3组`` → ``河坝村``."""
    if not address:
        return None
    found = _VILLAGE.search(address)
    return found.group(1) if found else None


def details(uow: UnitOfWork, child_ids: list[int]) -> dict[int, Details]:
    """:class:`Details` of each child (for children the caller already found in the actor's scope)."""
    s = uow.session
    rows = s.execute(select(Child.id, Child.birth_date, Child.address).where(Child.id.in_(child_ids))).all()
    guardians: dict[int, str] = {}
    for child_id, guardian in s.execute(
        select(ChildRelation.child_id, Person.name).join(Person, Person.id == ChildRelation.person_id)
        .where(ChildRelation.child_id.in_(child_ids),
               ChildRelation.kind == RelationKind.ENTRUSTED_GUARDIAN.value)
        .order_by(ChildRelation.id)
    ).all():
        guardians.setdefault(child_id, guardian)
    return {row[0]: Details(row[1], guardians.get(row[0]), village_of(row[2])) for row in rows}


def schools_of(uow: UnitOfWork, child_ids: list[int]) -> dict[int, str]:
    """Each child's school name (for choices spanning a person's schools: a grandmother's, a town helper's)."""
    return {cid: name for cid, name in uow.session.execute(
        select(Child.id, School.name).join(School, School.id == Child.school_id).where(Child.id.in_(child_ids)))}


def described(name: str, class_name: str | None, seen: Details | None) -> dict[str, Any]:
    """A namesake as a prompt parameter: ``杨兵（三(1)班；生于2016年3月4日、监护人杨奶奶、河坝村）``."""
    parts: list[dict[str, Any]] = []
    if seen is not None and seen.birth_date is not None:
        parts.append(msg(N_("born {date}"), date=day(seen.birth_date)))
    if seen is not None and seen.guardian:
        parts.append(msg(N_("guardian {name}"), name=text(seen.guardian)))
    if seen is not None and seen.village:
        parts.append(text(seen.village))
    if not parts:
        return msg(N_("{name} ({class_name})"), name=text(name), class_name=text(class_name or "-"))
    return msg(N_("{name} ({class_name}; {details})"), name=text(name), class_name=text(class_name or "-"),
               details=parts)


def label(uow: UnitOfWork, child_id: int) -> dict[str, Any]:
    """The child's name as a prompt parameter, told apart from a namesake in the school when there is one.

    A family call's request, booking and record name the child so that the
    keeper of the phone room, who serves the whole school, knows which 杨兵 it is.
    """
    s = uow.session
    child = s.get(Child, child_id)
    if child is None:
        return text("")
    same = s.scalar(select(func.count(Child.id)).where(Child.school_id == child.school_id, Child.name == child.name,
                                                      Child.active.is_(True))) or 0
    if same < 2:
        return text(child.name)
    klass = s.get(SchoolClass, child.class_id) if child.class_id else None
    return described(child.name, klass.name if klass else None, details(uow, [child_id]).get(child_id))
