"""Retention and deletion (issue 10, item 4): the daily purge and the erasure of a child's record on request.

Every kind of record has a retention period (settings ``retention_…``;
defaults in docs/privacy.md):

==========================================  =====================================================
record                                      kept until
==========================================  =====================================================
a child's archive, talk records, incidents  the child left the school (``Child.left_at``) + 3 years; then erased as
                                            by :func:`erase_child`, unless an incident about them is still open
check-in follow-ups, task details/outcomes  12 months after the check-in was sent / the task was created
outbox messages (their text names people)   90 days after they were created, once sent, failed or cancelled
audit entries                               3 years
records of a child whose consent was        the next daily purge (not an open incident's, nor the incidents
withdrawn or declined                       themselves: a legal duty)
==========================================  =====================================================

"Erased" keeps what aggregate figures need — a talk record's kind, period,
date and author, an incident's kind, severity and dates, a check-in's answer,
the child's school, class and grade — and clears everything else: the name
(shown as "—"), student number, birth date, address, health and the other
archive fields, the relations to guardians, parents and helpers, notes,
descriptions and free texts (task outcomes, education plans, aid items, the values of recorded card
changes), the parents' replies to the child's letters, the
values of the dashboard's edits of the child's card, and the photos and voice
messages of the child's letters and their replies: their files are deleted
from the media folder (:class:`~bot.services.ports.MediaStore`); the outbox
messages about the child not sent yet (``outbox.child_id``: check-ins,
reminders, monthly news, incident alerts, letters …) are cancelled; and the
rows that stay (check-ins, incident steps and events, family messages, tasks,
outbox rows) no longer point at the guardians, parents and others who were
around the child (:mod:`bot.services.retention_links`); the relatives who were
related to no other child and hold no staff role are erased with the child
(:mod:`bot.services.retention_people`). On request (:func:`erase_child`) the
child's 学籍号 is remembered as a keyed blind index only, so the next roster
import does not bring the child back (:mod:`bot.services.erased_children`).

:func:`purge` runs from the scheduler tick once a day (a ``retention:<date>``
:class:`PlanMarker`) with the injected clock; every step is an idempotent
``UPDATE … WHERE`` / ``DELETE … WHERE``, so a second run, a late tick or a
second worker changes nothing more.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Executable, delete, func, null, or_, select, update
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.domain.enums import IncidentStatus
from bot.domain.periods import local_date
from bot.domain.privacy import AUDIT_CLI, AuditAction, ConsentDecision
from bot.services import audit, erased_children, retention_chats, retention_links, retention_people
from bot.services.ports import MediaStore, UnitOfWork
from bot.store.models import (
    AidRecord,
    AuditEntry,
    Checkin,
    Child,
    ChildRelation,
    Consent,
    DashboardEdit,
    EducationPlan,
    EducationPlanNote,
    EducationPlanReview,
    Incident,
    IncidentEvent,
    Letter,
    LetterReply,
    OutboxMessage,
    PlanMarker,
    RecordChange,
    TalkRecord,
    Task,
)

log = logging.getLogger(__name__)

ERASED_NAME = "—"
_CHILD_FIELDS = ("gender", "ethnicity", "birth_date", "schooling", "boarding", "health", "address", "left_behind_type",
                 "guardianship_assessment", "family_income", "aid", "note")


class OpenIncident(RuntimeError):
    """A child's record cannot be erased while an incident about the child is open."""


def _count(s: Session, statement: Executable) -> int:
    """Run an UPDATE or DELETE and return how many rows it touched."""
    return int(cast(CursorResult[Any], s.execute(statement)).rowcount)


def _days(years: int = 0, months: int = 0, days: int = 0) -> timedelta:
    return timedelta(days=365 * years + 30 * months + days)


def has_open_incident(s: Session, child_id: int) -> bool:
    """Whether an incident about the child is still open."""
    return s.scalar(select(Incident.id).where(Incident.child_id == child_id,
                                              Incident.status == IncidentStatus.OPEN.value).limit(1)) is not None


def _clear_care_records(s: Session, child_ids: list[int]) -> int:
    """Clear what consent covered: talk contents, check-in texts, task details and outcomes, education plans."""
    if not child_ids:
        return 0
    n = _count(s, update(TalkRecord).where(
        TalkRecord.child_id.in_(child_ids),
        or_(TalkRecord.note.is_not(None), TalkRecord.mood.is_not(None), TalkRecord.study.is_not(None),
            TalkRecord.daily_life.is_not(None), TalkRecord.safety_concern.is_(True)),
    ).values(note=None, mood=None, study=None, daily_life=None, safety_concern=False))
    n += _count(s, update(Checkin).where(Checkin.child_id.in_(child_ids), Checkin.follow_up_text.is_not(None))
                   .values(follow_up_text=None))
    n += _count(s, update(Task).where(Task.child_id.in_(child_ids),
                                      or_(Task.detail.is_not(None), Task.outcome.is_not(None)))
                   .values(detail=None, outcome=None))
    plans = select(EducationPlan.id).where(EducationPlan.child_id.in_(child_ids))
    n += _count(s, delete(EducationPlanNote).where(EducationPlanNote.plan_id.in_(plans)))
    n += _count(s, update(EducationPlanReview).where(EducationPlanReview.plan_id.in_(plans),
                                                     EducationPlanReview.note.is_not(None)).values(note=None))
    # Encrypted lists cannot be compared in SQL: every plan of these children is emptied (a no-op when empty).
    n += _count(s, update(EducationPlan).where(EducationPlan.child_id.in_(child_ids)).values(goals=[], measures=[]))
    return int(n)


def _clear_family_link(s: Session, child_ids: list[int], now: datetime) -> tuple[int, list[str]]:
    """Clear the children's letters' photos, the replies to them and the dashboard edits' values.

    Returns:
        the rows changed, and the media refs whose files are to be deleted.
    """
    letter_ids = list(s.scalars(select(Letter.id).where(Letter.child_id.in_(child_ids))))
    refs = [ref for photos in s.scalars(select(Letter.photos).where(Letter.id.in_(letter_ids))) for ref in photos or ()]
    refs += [ref for media in s.scalars(select(LetterReply.media).where(LetterReply.letter_id.in_(letter_ids)))
             for _kind, ref in media or ()]
    n = _count(s, update(Letter).where(Letter.id.in_(letter_ids)).values(photos=[]))
    n += _count(s, update(LetterReply).where(LetterReply.letter_id.in_(letter_ids))
                   .values(text=None, media=null()))  # SQL NULL, not a JSON null
    n += _count(s, update(DashboardEdit).where(DashboardEdit.child_id.in_(child_ids),
                                               or_(DashboardEdit.old_value.is_not(None),
                                                   DashboardEdit.new_value.is_not(None)))
                   .values(old_value=None, new_value=None))
    unsent = (OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None), OutboxMessage.cancelled_at.is_(None))
    # Whatever is still waiting to be sent about these children names them (check-ins, reminders, news, alerts,
    # letters …): never sent. Rows from before outbox.child_id existed are found by their letters' keys.
    n += _count(s, update(OutboxMessage).where(OutboxMessage.child_id.in_(child_ids), *unsent)
                   .values(cancelled_at=now))
    for letter_id in letter_ids:  # a delivery still waiting would carry a deleted photo
        n += _count(s, update(OutboxMessage).where(OutboxMessage.key.like(f"letter:{letter_id}:%"), *unsent)
                       .values(cancelled_at=now))
    return n, refs


def _delete_files(media: MediaStore | None, refs: list[str]) -> None:
    """Delete erased media files; before the commit, so a crash never leaves an erased child's photo behind.

    Should the commit fail, the records still name files that are gone, and
    erasing again (the purge's next run, or ``guanai erase``) finishes it.
    """
    if media is None:
        if refs:
            log.warning("%s media files of erased children were not deleted: no media store given", len(refs))
        return
    for ref in refs:
        try:
            media.delete(ref)
        except ValueError:  # not a ref of the store: nothing on disk to delete
            log.warning("an erased record named an invalid media ref")


def _erase(s: Session, child_ids: list[int], now: datetime, media: MediaStore | None = None) -> tuple[int, int]:
    """Erase children's records, keeping what aggregate figures need (module doc).

    Returns:
        (rows changed, relatives erased with the children).
    """
    if not child_ids:
        return 0, 0
    n = _clear_care_records(s, child_ids)
    changed, refs = _clear_family_link(s, child_ids, now)
    n += changed + retention_chats.clear_family_messages(s, child_ids)
    named = [(c.id, c.school_id, c.name) for c in s.scalars(select(Child).where(Child.id.in_(child_ids),
                                                                               Child.erased_at.is_(None)))]
    n += retention_chats.forget_in_chats(s, named, now)  # drafts and waiting questions naming the child
    n += retention_chats.scrub_sent_copies(s, named)  # the outbox's copies of what was sent about the child
    n += retention_links.unlink(s, child_ids, now)  # the rows that stay no longer point at the child's people
    incident_ids = select(Incident.id).where(Incident.child_id.in_(child_ids))
    # Only children not erased yet come here (purge: ``erased_at`` is None; erase_child: once), so no
    # comparison with the stored text is needed (it may be encrypted at rest).
    n += _count(s, update(Incident).where(Incident.child_id.in_(child_ids))
                   .values(description=ERASED_NAME, outcome_note=None))
    n += _count(s, update(IncidentEvent).where(IncidentEvent.incident_id.in_(incident_ids),
                                               IncidentEvent.note.is_not(None)).values(note=None))
    recorded = or_(RecordChange.old_value.is_not(None), RecordChange.new_value.is_not(None))
    n += _count(s, update(RecordChange).where(RecordChange.child_id.in_(child_ids), recorded)
                   .values(old_value=None, new_value=None))
    n += _count(s, update(AidRecord).where(AidRecord.child_id.in_(child_ids), AidRecord.items.is_not(None))
                   .values(items=None))  # kind, date and amount stay: the aid ledger's totals
    relatives = retention_people.relatives_of(s, child_ids)
    n += _count(s, delete(ChildRelation).where(or_(ChildRelation.child_id.in_(child_ids),
                                                   ChildRelation.related_child_id.in_(child_ids))))
    erased_people = retention_people.erase_orphans(s, relatives, now)
    for child in s.scalars(select(Child).where(Child.id.in_(child_ids), Child.erased_at.is_(None))):
        child.name = ERASED_NAME
        child.student_no = f"erased-{child.id}"
        for name in _CHILD_FIELDS:
            setattr(child, name, None)
        child.active = False
        child.left_at = child.left_at or now
        child.erased_at = now
        n += 1
    s.flush()
    _delete_files(media, refs)
    return int(n), erased_people


def erase_child(uow: UnitOfWork, *, child_id: int, now: datetime, actor_id: int | None = None,
                channel: str = AUDIT_CLI, media: MediaStore | None = None) -> int:
    """Erase one child's record on request (``guanai erase``), audited; the caller commits.

    ``media`` is where the child's letter photos and voice replies are kept: their files are deleted.
    The child's 学籍号 (or name and birth date) is remembered as a blind index, so that a roster
    import skips the child (:mod:`bot.services.erased_children`).

    Returns:
        How many relatives were erased with the child (related to no other child, no staff role).

    Raises:
        OpenIncident: an incident about the child is open (close it first). Nothing is changed.
        LookupError: no such child.
    """
    s = uow.session
    child = s.get(Child, child_id)
    if child is None:
        raise LookupError(f"child {child_id}")
    if has_open_incident(s, child_id):
        raise OpenIncident(f"child {child_id}")
    if child.erased_at is None:
        erased_children.remember(s, school_id=child.school_id, student_no=child.student_no, name=child.name,
                                 birth_date=child.birth_date, now=now)
    changed, relatives = _erase(s, [child_id], now, media)
    audit.record(uow, actor_id=actor_id, action=AuditAction.ERASED, child_id=child_id, channel=channel, now=now)
    log.info("child %s erased on request (%s changes, %s relatives)", child_id, changed, relatives)
    return relatives


def _withdrawn(s: Session) -> list[int]:
    """Children whose latest consent answer is withdrawn or declined."""
    refused = (ConsentDecision.WITHDRAWN.value, ConsentDecision.DECLINED.value)
    return list(s.scalars(select(Consent.child_id).where(
        Consent.id.in_(select(func.max(Consent.id)).group_by(Consent.child_id)), Consent.decision.in_(refused))))


def purge(uow: UnitOfWork, *, now: datetime, settings: Settings, media: MediaStore | None = None) -> int:
    """The daily purge (once per day in ``settings.timezone``); returns the rows changed or deleted.

    The caller commits. A period of 0 keeps that kind of record forever.
    ``media``: where the files of erased children's letters are deleted.
    """
    s = uow.session
    marker = f"retention:{local_date(now, settings.timezone).isoformat()}"
    if s.scalar(select(PlanMarker.id).where(PlanMarker.key == marker)) is not None:
        return 0
    n = _count(s, update(Child).where(Child.active.is_(False), Child.left_at.is_(None)).values(left_at=now))
    n += _count(s, update(Child).where(Child.active.is_(True), Child.left_at.is_not(None)).values(left_at=None))
    if settings.retention_years_after_leaving:
        cutoff = now - _days(years=settings.retention_years_after_leaving)
        expired = [c for c in s.scalars(select(Child.id).where(Child.erased_at.is_(None), Child.left_at <= cutoff))
                   if not has_open_incident(s, c)]
        n += _erase(s, expired, now, media)[0]
    if settings.retention_checkin_months:
        cutoff = now - _days(months=settings.retention_checkin_months)
        n += _count(s, update(Checkin).where(Checkin.sent_at <= cutoff, Checkin.follow_up_text.is_not(None))
                       .values(follow_up_text=None))
        n += _count(s, update(Task).where(Task.created_at <= cutoff,
                                          or_(Task.detail.is_not(None), Task.outcome.is_not(None)))
                       .values(detail=None, outcome=None))
    refused = [c for c in _withdrawn(s) if not has_open_incident(s, c)]
    n += _clear_care_records(s, refused)
    if settings.retention_outbox_days:
        cutoff = now - _days(days=settings.retention_outbox_days)
        n += _count(s, delete(OutboxMessage).where(
            OutboxMessage.created_at <= cutoff,
            or_(OutboxMessage.sent_at.is_not(None), OutboxMessage.failed_at.is_not(None),
                OutboxMessage.cancelled_at.is_not(None))))
    if settings.retention_audit_years:
        cutoff = now - _days(years=settings.retention_audit_years)
        n += _count(s, delete(AuditEntry).where(AuditEntry.at <= cutoff))
    s.add(PlanMarker(key=marker, created_at=now))
    s.flush()
    if n:
        log.info("retention purge changed %s rows", n)
    return int(n)
