"""A note after a check-in answer reaches the class teacher at once, under the child it names (issue 6 item 4).

A grandmother answers 刘帅's check-in and writes ``孩子最近晚上咳嗽``: the note
is kept for 刘帅's helper teacher's daily digest (:func:`bot.services.checkins.record_checkin_note`)
and passed to 刘帅's class teacher now, as a family message she can answer
(:func:`bot.services.family_messages.pass_on`, BULK: quiet hours wait as for any
message). Had she written ``婷婷发烧了``, it would be filed under 刘婷婷 instead:
her digest, her class teacher (:func:`file_for_child`).

Transactions: these functions flush but never commit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select

from bot.domain.enums import Priority
from bot.messages.prompt import N_, msg
from bot.services import checkin_messages, family_digest, family_messages, family_together
from bot.services.family_messages import Passed
from bot.services.ports import UnitOfWork
from bot.store.models import Checkin, Child, Person, Task

log = logging.getLogger(__name__)

HELP_TOO = N_("You also follow up this help request: {kind}. Please contact them soon.")
HELP_TOO_NO_KIND = N_("You also follow up this help request. Please contact them soon.")


@dataclass(frozen=True)
class NoteFiled:
    """Where a note went: the class teacher's copy (None: nobody to read it now) and the digest's other reader.

    ``digest_reader``: the helper teacher who also reads it in the daily digest, when not the class teacher.
    """

    child: str
    passed: Passed | None
    digest_reader: str | None
    children: tuple[str, ...] = ()  # a note about all the writer's children: every one of them
    digest_readers: tuple[str, ...] = ()  # … and the other children's helper teachers reading it in a digest
    also: tuple[Passed, ...] = ()  # … and the other class teachers it reached at once (children in two classes)


def checkin_child(uow: UnitOfWork, checkin_id: int) -> int | None:
    """The child a check-in asks about (None for an unknown check-in)."""
    checkin = uow.session.get(Checkin, checkin_id)
    return checkin.child_id if checkin is not None else None


def relay_checkin_note(uow: UnitOfWork, *, guardian_id: int, checkin_id: int, note: str, now: datetime,
                       channel: str | None, help_kind: str | None = None,
                       together: tuple[int, ...] = ()) -> NoteFiled | None:
    """The note on the check-in's own child (already kept for the digest): passed to the class teacher now.

    A class teacher who also holds the check-in's help task (the child has no helper teacher) gets one message,
    not two: the note as a family message she can answer, with a line naming the help (``help_kind``) she
    follows up, URGENT like the help request; ``record_checkin_note(relayed=True)`` sent her no task note.
    ``together``: the writer's other children with the same class teacher that the note is about too
    (:func:`relay_note_about_all`): the message is linked to them and names them.
    """
    child_id = checkin_child(uow, checkin_id)
    child = uow.session.get(Child, child_id) if child_id is not None else None
    if child is None or not note.strip():
        return None
    reader = family_messages.reader_of(uow, child)
    task = uow.session.scalar(select(Task).where(Task.key == f"help:checkin:{checkin_id}"))
    helps = task is not None and reader is not None and task.assignee_id == reader[0]
    label = checkin_messages.HELP_KIND_LABELS.get(help_kind or "")
    also = (((HELP_TOO, {"kind": msg(label)}) if label else (HELP_TOO_NO_KIND, {})),) if helps else ()
    passed = family_messages.pass_on(uow, from_person_id=guardian_id, child_id=child.id, body=note, now=now,
                                     channel=channel, checkin_id=checkin_id, also=also,
                                     priority=Priority.URGENT if helps else Priority.BULK, together=together)
    return _filed(uow, child.id, passed)


def relay_note_about_all(uow: UnitOfWork, *, guardian_id: int, checkin_id: int, note: str, now: datetime,
                         channel: str | None, help_kind: str | None = None) -> NoteFiled | None:
    """A note about all the writer's children (``两个孩子都想妈妈了``) at one child's check-in (already kept).

    Filed as a free message about them all is: linked to every child, passed to each class teacher once
    (naming that teacher's children), and kept for each other child's helper teacher's digest too.
    """
    own = checkin_child(uow, checkin_id)
    ids = [c.id for c in family_messages.family_children(uow, guardian_id)]
    if own not in ids or not note.strip():
        return None
    first: NoteFiled | None = None
    others: list[NoteFiled] = []
    for group in family_together.by_reader(uow, [own, *(i for i in ids if i != own)]):
        if own in group:
            first = relay_checkin_note(uow, guardian_id=guardian_id, checkin_id=checkin_id, note=note, now=now,
                                       channel=channel, help_kind=help_kind,
                                       together=tuple(i for i in group if i != own))
        else:
            passed = family_messages.pass_on(uow, from_person_id=guardian_id, child_id=group[0], body=note,
                                             now=now, channel=channel, together=tuple(group[1:]))
            others.append(_filed(uow, group[0], passed))
    mine = family_digest.digest_reader(uow, own)
    readers = {mine}
    for child_id in ids:  # the check-in's own child's digest has it from the check-in already
        if child_id != own and family_digest.digest_reader(uow, child_id) not in readers:
            readers.add(family_digest.keep_checkin_note(uow, checkin_id=None, child_id=child_id,
                                                        guardian_id=guardian_id, note=note, now=now))
    if first is None:
        return None
    teachers = {f.passed.reader_id for f in [first, *others] if f.passed is not None}
    helpers = [uow.session.get(Person, r) for r in readers if r is not None and r not in teachers and r != mine]
    names = [uow.session.get(Child, i) for i in ids]
    log.info("check-in note of person %s about all %d of their children", guardian_id, len(ids))
    return replace(first, children=tuple(c.name for c in names if c is not None),
                   digest_readers=tuple(sorted(p.name for p in helpers if p is not None)),
                   also=tuple(f.passed for f in others if f.passed is not None))


def file_for_child(uow: UnitOfWork, *, guardian_id: int, child_id: int, note: str, now: datetime,
                   channel: str | None) -> NoteFiled | None:
    """A note written at one child's check-in naming another of the writer's children: filed under that child.

    Kept for that child's daily digest and passed to that child's class teacher. None when ``child_id`` is
    not the writer's child (never another family's).
    """
    if child_id not in {c.id for c in family_messages.family_children(uow, guardian_id)} or not note.strip():
        return None
    family_digest.keep_checkin_note(uow, checkin_id=None, child_id=child_id, guardian_id=guardian_id, note=note,
                                      now=now)
    passed = family_messages.pass_on(uow, from_person_id=guardian_id, child_id=child_id, body=note, now=now,
                                     channel=channel)
    log.info("check-in note of person %s filed under child %s, the child it names", guardian_id, child_id)
    return _filed(uow, child_id, passed)


def _filed(uow: UnitOfWork, child_id: int, passed: Passed | None) -> NoteFiled:
    digest = family_digest.digest_reader(uow, child_id)
    reader_id = passed.reader_id if passed is not None else None
    other = uow.session.get(Person, digest) if digest is not None and digest != reader_id else None
    child = uow.session.get(Child, child_id)
    return NoteFiled(child=child.name if child is not None else "", passed=passed,
                     digest_reader=other.name if other is not None else None)
