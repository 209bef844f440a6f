"""Check-in notes for the helper teacher's daily digest (issue 6 item 4: nothing said is dropped).

A note after a check-in answer is kept for the child's helper teacher (else the class teacher, else an
admin) and listed in their next daily digest (:mod:`bot.services.digests`), once.

Transactions: these functions flush but never commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select

from bot.messages.prompt import N_, msg, text
from bot.services import family_about, family_messages
from bot.services.ports import UnitOfWork
from bot.store.models import Checkin, Child, FamilyMessage, Person


def keep_checkin_note(uow: UnitOfWork, *, checkin_id: int | None, child_id: int, guardian_id: int, note: str,
                      now: datetime) -> int | None:
    """A note after a check-in answer, for the child's helper teacher (else class teacher) in the next digest.

    ``checkin_id`` None: the note named another of the writer's children than the check-in's
    (:mod:`bot.services.family_notes`). Returns the digest's reader, or None when nothing was kept.
    """
    child = uow.session.get(Child, child_id)
    reader = family_messages.reader_of(uow, child, helper_first=True) if child is not None else None
    if reader is None or not note.strip():
        return None
    row = FamilyMessage(kind="checkin_note", from_person_id=guardian_id, to_person_id=reader[0],
                        child_id=child_id, checkin_id=checkin_id, body=family_messages.kept(note), created_at=now)
    uow.session.add(row)
    uow.session.flush()
    family_about.link(uow, row.id, [child_id])
    return reader[0]


def digest_reader(uow: UnitOfWork, child_id: int) -> int | None:
    """Who reads notes about ``child_id`` in the daily digest: the helper teacher, else class teacher, else admin."""
    child = uow.session.get(Child, child_id)
    reader = family_messages.reader_of(uow, child, helper_first=True) if child is not None else None
    return reader[0] if reader is not None else None


def digest_notes(uow: UnitOfWork, *, school_id: int, now: datetime) -> dict[int, list[tuple[str, dict[str, Any]]]]:
    """The check-in notes not yet in a digest, as digest lines per reader; they are marked digested now.

    The caller enqueues the digests in the same transaction, so a note is in exactly one digest.
    """
    return digest_notes_by_school(uow, school_ids=[school_id], now=now).get(school_id, {})


def digest_notes_by_school(uow: UnitOfWork, *, school_ids: Sequence[int], now: datetime,
                           ) -> dict[int, dict[int, list[tuple[str, dict[str, Any]]]]]:
    """:func:`digest_notes` of many schools in one query: school id → reader → lines (marked digested now)."""
    ids = list(school_ids)
    if not ids:
        return {}
    s = uow.session
    rows = s.execute(
        select(FamilyMessage, Child.school_id, Child.name, Person.name, Checkin.answer)
        .join(Child, Child.id == FamilyMessage.child_id)
        .join(Person, Person.id == FamilyMessage.from_person_id)
        .outerjoin(Checkin, Checkin.id == FamilyMessage.checkin_id)
        .where(FamilyMessage.kind == "checkin_note", FamilyMessage.digested_at.is_(None),
               FamilyMessage.to_person_id.is_not(None), Child.school_id.in_(ids))
        .order_by(FamilyMessage.to_person_id, FamilyMessage.id)
    ).all()
    found: dict[int, dict[int, list[tuple[str, dict[str, Any]]]]] = {}
    for row, school_id, child, guardian, answered in rows:
        row.digested_at = now
        found.setdefault(school_id, {}).setdefault(int(row.to_person_id or 0), []).append((
            N_("• {child} — {guardian} ({answer}): “{note}”"),
            {"child": text(child), "guardian": text(guardian),
             "answer": msg(family_messages.ANSWER_LABELS.get(answered or "", N_("check-in"))),
             "note": text(row.body or "")},
        ))
    if rows:
        s.flush()
    return found
