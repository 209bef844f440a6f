"""Erasure in the chats: what families said about an erased child, and the questions that still name the child.

``guanai erase`` and the daily purge (:mod:`bot.services.retention`) clear the
child's records; these two steps make sure nothing about the child is shown
again in a chat either (issue 10, item 4):

* a family's message about the child (``family_messages``: the words, the voice
  note) is emptied and closed (``kind = "erased"``), so it leaves the class
  teacher's ``/due``, can no longer be answered, and its next digest has no note;
  one about a sibling too loses its words as well, and stays linked to the sibling
  (:mod:`bot.services.family_about`);
* in the chats of the child's school, a flow half done about the child (a
  talk's draft note) is dropped, and a waiting question that names the child
  is taken off the chat's agenda;
* the copies of messages already sent about the child (kept in the outbox for
  its retention period: alerts, relayed words, digests that list the child)
  lose their text: the row stays (delivery figures), its content is "—".

A chat's state is encrypted JSON, so it is searched after decryption, only in
the chats of the people of the children's schools (a school's staff and
families: hundreds of rows, not a city's).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from bot.messages.prompt import Prompt
from bot.store.models import (
    ChatAccount,
    Child,
    Conversation,
    FamilyMessage,
    FamilyMessageChild,
    OutboxMessage,
    Person,
    PersonSchool,
)

ERASED_KIND = "erased"


def clear_family_messages(s: Session, child_ids: list[int]) -> int:
    """Empty and close the families' messages, notes and answers about these children; returns rows changed.

    A message about a sibling too (``两个孩子都感冒了``, :mod:`bot.services.family_about`) is emptied as well:
    its words cannot be split by child. The sibling's link stays, and a message filed under an erased child
    is filed under the sibling (who is not erased), so the sibling's record keeps that the family wrote.
    """
    if not child_ids:
        return 0
    about = select(FamilyMessageChild.message_id).where(FamilyMessageChild.child_id.in_(child_ids))
    closed = s.execute(update(FamilyMessage).where(or_(FamilyMessage.child_id.in_(child_ids),
                                                       FamilyMessage.id.in_(about)))
                       .values(body=None, voice_media_id=None, kind=ERASED_KIND))
    changed = int(getattr(closed, "rowcount", 0) or 0)
    siblings = s.execute(select(FamilyMessage.id, FamilyMessageChild.child_id)
                         .join(FamilyMessageChild, FamilyMessageChild.message_id == FamilyMessage.id)
                         .where(FamilyMessage.child_id.in_(child_ids),
                                FamilyMessageChild.child_id.not_in(child_ids))
                         .order_by(FamilyMessage.id, FamilyMessageChild.child_id)).all()
    refiled: dict[int, int] = {}
    for message_id, sibling in siblings:
        refiled.setdefault(int(message_id), int(sibling))
    for message_id, sibling in refiled.items():  # the erased child's people are unlinked from what stays
        s.execute(update(FamilyMessage).where(FamilyMessage.id == message_id).values(child_id=sibling))
    s.execute(delete(FamilyMessageChild).where(FamilyMessageChild.child_id.in_(child_ids)))
    return changed


def _mentions(value: Any, child_ids: set[int], names: set[str]) -> bool:
    """Whether a stored flow state or agenda entry is about one of these children (by id or by name)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("child_id", "child") and isinstance(item, int | str) and str(item).isdigit() \
                    and int(item) in child_ids:
                return True
            if _mentions(item, child_ids, names):
                return True
        return False
    if isinstance(value, list):
        return any(_mentions(item, child_ids, names) for item in value)
    if isinstance(value, str):
        return value in names
    return False


def forget_in_chats(s: Session, children: list[tuple[int, int, str]], now: datetime) -> int:
    """Drop drafts and waiting questions about these children from the chats of their schools.

    Args:
        s: the session (the caller commits).
        children: (child id, school id, the name before erasure) of each child erased.
        now: UTC now (the conversations' ``updated_at``).

    Returns:
        The number of chats changed.
    """
    if not children:
        return 0
    child_ids = {c for c, _school, _name in children}
    names = _unique_names(s, children, child_ids)  # a namesake's questions stay
    schools = {school for _c, school, _name in children}
    accounts = set(s.execute(select(ChatAccount.channel, ChatAccount.account_id)
                             .where(ChatAccount.person_id.in_(_people(schools)))).all())
    changed = 0
    for row in s.scalars(select(Conversation).where(Conversation.account_id.in_({a for _c, a in accounts}))):
        if (row.channel, row.account_id) not in accounts:
            continue
        stored = dict(row.data or {})
        flow_state, agenda = stored.get("flow") or {}, list(stored.get("agenda") or [])
        kept = [entry for entry in agenda if not _mentions(entry, child_ids, names)]
        drop_flow = bool(row.flow) and _mentions(flow_state, child_ids, names)
        if not drop_flow and len(kept) == len(agenda):
            continue
        if drop_flow:
            row.flow, row.state, stored["flow"] = None, None, {}
        stored["agenda"] = kept
        row.data = json.loads(json.dumps(stored))  # a new object: the encrypted column is written again
        row.version = (row.version or 0) + 1  # the buttons of what was dropped stop working
        row.updated_at = now
        changed += 1
    return changed


def scrub_sent_copies(s: Session, children: list[tuple[int, int, str]]) -> int:
    """Empty the stored text of outbox rows about these children (sent or not); returns rows changed.

    Rows recorded with the child (``outbox.child_id``) are emptied outright;
    other rows to the people of the children's schools (a digest listing the
    child) are emptied when their text names a child by a name no other child
    of the school has.
    """
    if not children:
        return 0
    child_ids = {c for c, _school, _name in children}
    names = _unique_names(s, children, child_ids)
    erased = Prompt("—").to_dict()
    changed = 0
    for row in s.scalars(select(OutboxMessage).where(OutboxMessage.child_id.in_(child_ids))):
        row.payload = dict(erased)
        changed += 1
    if names:
        schools = {school for _c, school, _name in children}
        for row in s.scalars(select(OutboxMessage).where(OutboxMessage.person_id.in_(_people(schools)),
                                                         or_(OutboxMessage.child_id.is_(None),
                                                             OutboxMessage.child_id.not_in(child_ids)))):
            if _names_in(row.payload, names):
                row.payload = dict(erased)
                changed += 1
    return changed


def _unique_names(s: Session, children: list[tuple[int, int, str]], child_ids: set[int]) -> set[str]:
    """The erased children's names that no other child of their school has (a namesake's messages stay)."""
    return {name for _c, school, name in children if name and not s.scalar(
        select(Child.id).where(Child.school_id == school, Child.name == name, Child.id.not_in(child_ids)).limit(1))}


def _people(schools: set[int]) -> Any:
    """The people of these schools (their own, and those who belong to several), as a subquery."""
    return select(Person.id).where(or_(Person.school_id.in_(schools), Person.id.in_(
        select(PersonSchool.person_id).where(PersonSchool.school_id.in_(schools)))))


def _names_in(value: Any, names: set[str]) -> bool:
    """Whether a stored message names one of ``names`` anywhere in its text or parameters."""
    if isinstance(value, dict):
        return any(_names_in(v, names) for v in value.values())
    if isinstance(value, list):
        return any(_names_in(v, names) for v in value)
    return isinstance(value, str) and any(name in value for name in names)
