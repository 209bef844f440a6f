"""What a roster import must know across the whole file, kept in a private temporary SQLite database.

A city's 花名册 has 260,000 children and plans about 735,000 people; held in
Python dictionaries (学籍号s seen, planned people, ids) they took about 1 KB per
child row (issue 7, item 6). :class:`RosterStage` keeps them in a staging
database instead, so the import's memory does not grow with the file:

* ``child``: every 学籍号 of the file with its first row (duplicates are
  found by the primary key) and, once written, the child's id;
* ``person``: every planned person by natural key, merged in SQL as the rows
  name them (the first name stays, a later value that is given replaces an
  earlier one, roles are a bit set), in planning order (``rowid``), with the
  id once written.

The database is a file in a directory only this user can enter
(``tempfile.mkdtemp``: mode 0700; the file 0600), without a journal, and is
removed when the stage is closed or collected. Names and 学籍号s are stored as
the main database stores them (in clear); phones, work places and health notes
are encrypted with AES-GCM under a key made for this stage and held only in
this process's memory, as in :mod:`bot.adapters.roster_spill`.

An adapter: it imports nothing of the services (``tests/test_layers.py``).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from itertools import count
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PAGE = 5_000
_SCHEMA = (
    "CREATE TABLE child (no TEXT PRIMARY KEY, row INTEGER NOT NULL, id INTEGER) WITHOUT ROWID",
    "CREATE TABLE person (key TEXT NOT NULL UNIQUE, name TEXT NOT NULL, phone BLOB, work_place BLOB, "
    "age INTEGER, health BLOB, roles INTEGER NOT NULL, id INTEGER)",
    "CREATE TABLE file_child (id INTEGER PRIMARY KEY)",
)
# The first name stays; a value given later replaces an earlier one (siblings: the last row wins); roles add up.
_UPSERT = (
    "INSERT INTO person (key, name, phone, work_place, age, health, roles) VALUES (?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (key) DO UPDATE SET phone = coalesce(excluded.phone, phone), "
    "work_place = coalesce(excluded.work_place, work_place), age = coalesce(excluded.age, age), "
    "health = coalesce(excluded.health, health), roles = roles | excluded.roles"
)


class PlannedPerson:
    """One planned person as read back from the stage."""

    __slots__ = ("age", "health", "id", "key", "name", "phone", "roles", "work_place")

    def __init__(self, key: str, name: str, phone: str | None, work_place: str | None, age: int | None,
                 health: str | None, roles: frozenset[str], person_id: int | None) -> None:
        self.key, self.name, self.phone, self.work_place = key, name, phone, work_place
        self.age, self.health, self.roles, self.id = age, health, roles, person_id

    def columns(self) -> dict[str, Any]:
        """The person's values by column (name, phone, work_place, age, health)."""
        return {"name": self.name, "phone": self.phone, "work_place": self.work_place, "age": self.age,
                "health": self.health}


class RosterStage:
    """The staging database of one import (see the module doc); close it when done."""

    def __init__(self) -> None:
        self._dir = tempfile.mkdtemp(prefix="guanai-stage-")  # mode 0700: nobody else may enter
        path = os.path.join(self._dir, "stage.db")
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600))
        self.db = sqlite3.connect(path, isolation_level=None)
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "locking_mode = EXCLUSIVE",
                       "cache_size = -8000", "temp_store = FILE"):
            self.db.execute(f"PRAGMA {pragma}")
        for statement in _SCHEMA:
            self.db.execute(statement)
        self.db.execute("BEGIN")  # one transaction: nothing of it needs to survive a crash
        self._aead = AESGCM(AESGCM.generate_key(bit_length=128))
        self._nonces = count()
        self._bits: dict[str, int] = {}
        self._roles: dict[int, frozenset[str]] = {}

    # ---- encryption of the sensitive person columns

    def _seal(self, value: str | None) -> bytes | None:
        if value is None:
            return None
        nonce = next(self._nonces).to_bytes(12, "big")  # one key per stage, a new nonce per value: never reused
        return nonce + self._aead.encrypt(nonce, value.encode(), None)

    def _open(self, sealed: bytes | None) -> str | None:
        if sealed is None:
            return None
        return self._aead.decrypt(sealed[:12], sealed[12:], None).decode()

    def _role_bits(self, roles: Iterable[str]) -> int:
        bits = 0
        for role in roles:
            bit = self._bits.get(role)
            if bit is None:
                bit = self._bits[role] = 1 << len(self._bits)
            bits |= bit
        return bits

    def _role_set(self, bits: int) -> frozenset[str]:
        roles = self._roles.get(bits)
        if roles is None:
            roles = self._roles[bits] = frozenset(r for r, b in self._bits.items() if bits & b)
        return roles

    # ---- 学籍号s

    def first_row(self, no: str, row: int) -> int | None:
        """Record that row ``row`` holds the 学籍号 ``no``; returns the first row holding it if it was there before."""
        cur = self.db.execute("INSERT OR IGNORE INTO child (no, row) VALUES (?, ?)", (no, row))
        if cur.rowcount:
            return None
        found = self.db.execute("SELECT row FROM child WHERE no = ?", (no,)).fetchone()
        return int(found[0])

    def has_number(self, no: str) -> bool:
        """Whether the file holds the 学籍号 ``no`` (on any row seen by :meth:`first_row`)."""
        return self.db.execute("SELECT 1 FROM child WHERE no = ?", (no,)).fetchone() is not None

    def set_child_ids(self, pairs: Iterable[tuple[str, int]]) -> None:
        """Record the ids of children by 学籍号 (``(no, id)``)."""
        self.db.executemany("UPDATE child SET id = ? WHERE no = ?", ((i, no) for no, i in pairs))

    def child_id(self, no: str) -> int | None:
        """The id of the child with this 学籍号, once written."""
        found = self.db.execute("SELECT id FROM child WHERE no = ?", (no,)).fetchone()
        return None if found is None else found[0]

    def numbers_in_file(self, numbers: Sequence[str]) -> set[str]:
        """The ``numbers`` the file holds."""
        found: set[str] = set()
        for start in range(0, len(numbers), 900):
            part = numbers[start:start + 900]
            found.update(r[0] for r in self.db.execute(
                f"SELECT no FROM child WHERE no IN ({','.join('?' * len(part))})", part))  # noqa: S608 - only ?s
        return found

    def add_file_children(self, ids: Iterable[int]) -> None:
        """Record ids of known children whose 学籍号 the file holds (for :meth:`in_file`)."""
        self.db.executemany("INSERT OR IGNORE INTO file_child (id) VALUES (?)", ((i,) for i in ids))

    def in_file(self, child_id: object) -> bool:
        """Whether :meth:`add_file_children` recorded this child id."""
        return self.db.execute("SELECT 1 FROM file_child WHERE id = ?", (child_id,)).fetchone() is not None

    # ---- people

    def plan(self, people: Iterable[tuple[str, str, str | None, str | None, int | None, str | None,
                                          Iterable[str]]]) -> None:
        """Plan or merge people: ``(key, name, phone, work_place, age, health, roles)`` each."""
        self.db.executemany(_UPSERT, ((key, name, self._seal(phone), self._seal(work), age, self._seal(health),
                                       self._role_bits(roles))
                                      for key, name, phone, work, age, health, roles in people))

    def _person(self, row: Sequence[Any]) -> PlannedPerson:
        key, name, phone, work, age, health, roles, person_id = row
        return PlannedPerson(key, name, self._open(phone), self._open(work), age, self._open(health),
                             self._role_set(roles), person_id)

    def people(self, *, new_only: bool = False) -> Iterator[list[PlannedPerson]]:
        """The planned people in planning order, a page at a time (``new_only``: those without an id yet).

        Ids set between pages (:meth:`set_person_ids`) are seen by the next pages.
        """
        last = 0
        where = " AND id IS NULL" if new_only else ""
        while True:
            rows = self.db.execute(
                "SELECT rowid, key, name, phone, work_place, age, health, roles, id FROM person "  # noqa: S608
                f"WHERE rowid > ?{where} ORDER BY rowid LIMIT {PAGE}", (last,)).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield [self._person(r[1:]) for r in rows]

    def person(self, key: str) -> PlannedPerson | None:
        """The planned person with this natural key, if any."""
        row = self.db.execute("SELECT key, name, phone, work_place, age, health, roles, id FROM person "
                              "WHERE key = ?", (key,)).fetchone()
        return None if row is None else self._person(row)

    def has_person(self, key: str) -> bool:
        """Whether a person with this natural key is planned."""
        return self.db.execute("SELECT 1 FROM person WHERE key = ?", (key,)).fetchone() is not None

    def person_id(self, key: str) -> int | None:
        """The id of the planned person with this natural key, once known."""
        found = self.db.execute("SELECT id FROM person WHERE key = ?", (key,)).fetchone()
        return None if found is None else found[0]

    def set_person_ids(self, pairs: Iterable[tuple[str, int]]) -> None:
        """Record the ids of planned people (``(key, id)``)."""
        self.db.executemany("UPDATE person SET id = ? WHERE key = ?", ((i, key) for key, i in pairs))

    def count_people(self) -> int:
        """How many people are planned."""
        return int(self.db.execute("SELECT count(*) FROM person").fetchone()[0])

    # ---- the end

    def close(self) -> None:
        """Remove the database (also done when the stage is collected)."""
        db = getattr(self, "db", None)
        if db is not None:
            db.close()
            self.db = None  # type: ignore[assignment]
        shutil.rmtree(self._dir, ignore_errors=True)

    def __del__(self) -> None:
        self.close()
