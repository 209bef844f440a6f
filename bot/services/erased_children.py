"""Remembering erased children by a keyed blind index, so a roster re-import does not bring them back.

``guanai erase`` (issue 10, item 4) clears the child's 学籍号 with the rest of the
record; the next ``guanai import`` of the same roster would then find no such child
and create it again, relatives and all. So the erasure keeps, per child, only the
HMAC-SHA-256 blind index (:func:`bot.store.crypto.blind`, the key of
``people.phone_index``) of

* the 学籍号 as the import matches it (:func:`bot.domain.roster_cells.match_key`), or
* for a child without one, name (match key) and birth date (ISO),

each prefixed with the school id and the kind, so equal numbers in two schools, or a
number equal to a phone, give different digests. The import skips a row whose digest
is recorded (:meth:`ErasedIndex.match`) and reports it, unless ``--restore-erased``
is given: then the row is imported as a new child and its entry is removed.

A digest says nothing without the index key. ``guanai keys rotate`` cannot recompute
these digests (the numbers are gone), so after ``--forget-old`` an erased child in an
old roster is no longer recognised: the import then counts it as new, as before this
table existed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.domain.roster_cells import match_key
from bot.store import crypto
from bot.store.models import ErasedChild

STUDENT_NO = "student_no"
NAME_BIRTH = "name_birth"


def digests(school_id: int, student_no: str | None, name: str | None,
            birth_date: date | None) -> list[tuple[str, str]]:
    """The (kind, digest) pairs a child is known by: the 学籍号's, else name and birth date's (or none)."""
    no = match_key(student_no or "")
    if no and not no.startswith("erased-"):
        return [(STUDENT_NO, crypto.blind(f"erased-child:{school_id}:{STUDENT_NO}:{no}"))]
    if name and birth_date is not None:
        return [(NAME_BIRTH, crypto.blind(f"erased-child:{school_id}:{NAME_BIRTH}:{match_key(name)}:"
                                          f"{birth_date.isoformat()}"))]
    return []


def remember(s: Session, *, school_id: int, student_no: str | None, name: str | None, birth_date: date | None,
             now: datetime) -> int:
    """Record an erased child's digests (before its 学籍号 and name are cleared); returns rows added."""
    added = 0
    for kind, digest in digests(school_id, student_no, name, birth_date):
        if s.scalar(select(ErasedChild.id).where(ErasedChild.school_id == school_id,
                                                 ErasedChild.digest == digest)) is None:
            s.add(ErasedChild(school_id=school_id, kind=kind, digest=digest, erased_at=now))
            added += 1
    return added


@dataclass
class ErasedIndex:
    """One school's erased children (digest → (entry id, erased at)), for one import."""

    school_id: int | None
    entries: dict[str, tuple[int, datetime]] = field(default_factory=dict)
    matched: set[int] = field(default_factory=set)  # entry ids the file's rows matched

    @classmethod
    def load(cls, s: Session, school_id: int | None) -> ErasedIndex:
        """The school's entries (a new school has none)."""
        index = cls(school_id)
        if school_id is not None:
            for entry_id, digest, at in s.execute(select(ErasedChild.id, ErasedChild.digest, ErasedChild.erased_at)
                                                  .where(ErasedChild.school_id == school_id)):
                index.entries[digest] = (entry_id, at)
        return index

    def match(self, student_no: str | None, name: str | None, birth_date: date | None) -> datetime | None:
        """When the child of this roster row was erased, or None (the row's entry is remembered as matched)."""
        if not self.entries or self.school_id is None:
            return None
        for _kind, digest in digests(self.school_id, student_no, name, birth_date):
            found = self.entries.get(digest)
            if found is not None:
                self.matched.add(found[0])
                return found[1]
        return None

    def forget_matched(self, s: Session) -> int:
        """Remove the matched entries (``--restore-erased``: those children are back); returns rows deleted."""
        if not self.matched:
            return 0
        result = s.execute(delete(ErasedChild).where(ErasedChild.id.in_(self.matched)))
        return int(getattr(result, "rowcount", 0) or 0)
