"""Erasure of the relatives who were there only for an erased child (issue 10, item 4).

When a child's record is erased (``guanai erase``, the daily purge), the
guardian and parents the roster brought in for that child would otherwise stay
in ``people`` with their phone, age, health, work place and chat bindings. In
the same transaction as the rest of the erasure, every person related to the
erased children who afterwards

* has no relation to any other child (active or not), and
* has no role but guardian or parent (no staff, volunteer or official role),

is erased too: the name becomes :data:`ERASED_PERSON_NAME`, phone and its blind
index, work place, age, health, birthday, language and preferred channel are
cleared, the natural key becomes ``erased:person:<id>`` (a re-import cannot
find the person again), the roles and further schools are removed, open invites
are revoked, the chat bindings are removed with their conversations, and
messages still waiting for the person are cancelled. The row stays (``left_at``
set), because kept rows such as audit entries point at it by id.

A person who is also related to another child, or holds a staff role, is left
as is.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, tuple_, update
from sqlalchemy.orm import Session

from bot.domain.enums import Role
from bot.store.models import (
    ChatAccount,
    ChildRelation,
    Conversation,
    Invite,
    OutboxMessage,
    Person,
    PersonRole,
    PersonSchool,
)

ERASED_PERSON_NAME = "已删除"
_FAMILY_ROLES = (Role.GUARDIAN.value, Role.PARENT.value)
_PERSON_FIELDS = ("phone", "work_place", "age", "health", "birthday", "locale", "preferred_channel")


def _rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def relatives_of(s: Session, child_ids: list[int]) -> set[int]:
    """The people related to these children (before their relations are deleted)."""
    if not child_ids:
        return set()
    return set(s.scalars(select(ChildRelation.person_id).where(ChildRelation.child_id.in_(child_ids),
                                                               ChildRelation.person_id.is_not(None))))


def erase_orphans(s: Session, person_ids: set[int], now: datetime) -> int:
    """Erase those of ``person_ids`` left with no child and no staff role (module doc); returns people erased.

    Call after the erased children's relations are deleted; the caller commits.
    """
    if not person_ids:
        return 0
    still_related = set(s.scalars(select(ChildRelation.person_id).where(ChildRelation.person_id.in_(person_ids))))
    staff = set(s.scalars(select(PersonRole.person_id).where(PersonRole.person_id.in_(person_ids),
                                                             PersonRole.role.not_in(_FAMILY_ROLES))))
    gone = sorted(person_ids - still_related - staff)
    if not gone:
        return 0
    accounts = s.execute(select(ChatAccount.id, ChatAccount.channel, ChatAccount.account_id)
                         .where(ChatAccount.person_id.in_(gone))).all()
    if accounts:
        s.execute(update(Invite).where(Invite.used_by_account_id.in_([a.id for a in accounts]))
                  .values(used_by_account_id=None))
        s.execute(delete(Conversation).where(tuple_(Conversation.channel, Conversation.account_id).in_(
            [(a.channel, a.account_id) for a in accounts])))
        s.execute(delete(ChatAccount).where(ChatAccount.id.in_([a.id for a in accounts])))
    s.execute(update(Invite).where(Invite.person_id.in_(gone), Invite.used_at.is_(None), Invite.expires_at > now)
              .values(expires_at=now))
    s.execute(update(OutboxMessage).where(
        OutboxMessage.person_id.in_(gone), OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None),
        OutboxMessage.cancelled_at.is_(None)).values(cancelled_at=now))
    s.execute(delete(PersonSchool).where(PersonSchool.person_id.in_(gone)))
    for person in s.scalars(select(Person).where(Person.id.in_(gone))):
        person.roles.clear()
        person.name = ERASED_PERSON_NAME
        for name in _PERSON_FIELDS:
            setattr(person, name, None)  # the phone's validator clears phone_index with it
        person.natural_key = f"erased:person:{person.id}"
        person.left_at = person.left_at or now
    s.flush()
    return len(gone)
