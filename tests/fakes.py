"""In-test stand-ins for services other branches implement (identity, access, due, incidents, check-ins).

They follow the stub docstrings in bot/services and read the rows of
tests/factories.py. The ``fake_services`` fixture installs them; once the real
services are merged, drop the fixture from the flow tests.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.domain.enums import ADMIN_ROLES, RelationKind, Role, TalkKind
from bot.services import access, checkins, due, identity, incidents
from bot.services.access import ChildRef, Purpose
from bot.services.checkins import AnswerResult
from bot.services.due import DueTalk
from bot.services.identity import Actor, BindOutcome, BindStatus
from bot.services.incidents import AckResult, CloseResult
from bot.services.talks import talk_period
from bot.store.models import (
    BindAttempt,
    ChatAccount,
    Checkin,
    Child,
    ChildRelation,
    Incident,
    IncidentStep,
    Invite,
    Person,
    School,
    SchoolClass,
    TalkRecord,
)

MAX_WRONG_CODES = 5
THROTTLE = timedelta(minutes=15)


def _actor(session, person: Person) -> Actor:
    school = session.get(School, person.school_id)
    return Actor(
        person_id=person.id, name=person.name, school_id=person.school_id, roles=person.role_set,
        locale=person.locale or school.locale, timezone=school.timezone,
    )


def actor_for(uow, *, channel, account_id, now):
    account = uow.session.scalar(
        select(ChatAccount).where(ChatAccount.channel == channel, ChatAccount.account_id == account_id)
    )
    if account is None:
        return None
    account.last_seen_at = now
    return _actor(uow.session, uow.session.get(Person, account.person_id))


def bind(uow, *, channel, account_id, code, now):
    s = uow.session
    attempt = s.scalar(select(BindAttempt).where(BindAttempt.channel == channel, BindAttempt.account_id == account_id))
    if attempt is not None and attempt.blocked_until is not None and attempt.blocked_until > now:
        return BindOutcome(BindStatus.THROTTLED, retry_after_seconds=(attempt.blocked_until - now).total_seconds())
    invite = s.scalar(select(Invite).where(Invite.code_hash == hashlib.sha256(code.encode()).hexdigest()))
    if invite is None:
        if attempt is None:
            attempt = BindAttempt(channel=channel, account_id=account_id, failures=0)
            s.add(attempt)
        attempt.failures = (attempt.failures or 0) + 1
        attempt.last_failure_at = now
        if attempt.failures >= MAX_WRONG_CODES:
            attempt.blocked_until = now + THROTTLE
        s.flush()
        return BindOutcome(BindStatus.WRONG)
    if invite.used_at is not None:
        return BindOutcome(BindStatus.USED)
    if invite.expires_at <= now:
        return BindOutcome(BindStatus.EXPIRED)
    account = ChatAccount(person_id=invite.person_id, channel=channel, account_id=account_id, bound_at=now)
    s.add(account)
    s.flush()
    invite.used_at = now
    invite.used_by_account_id = account.id
    return BindOutcome(BindStatus.BOUND, actor=_actor(s, s.get(Person, invite.person_id)))


def set_locale(uow, *, person_id, locale):
    uow.session.get(Person, person_id).locale = locale


def _scope(uow, actor: Actor, purpose: Purpose) -> list[Child]:
    s = uow.session
    roles = actor.roles
    ids: set[int] = set()
    if roles & ADMIN_ROLES and purpose in (Purpose.INCIDENT, Purpose.VIEW):
        ids |= set(s.scalars(select(Child.id).where(Child.school_id == actor.school_id)))
    if Role.CLASS_TEACHER in roles:
        ids |= set(
            s.scalars(select(Child.id).join(SchoolClass, Child.class_id == SchoolClass.id)
                      .where(SchoolClass.class_teacher_id == actor.person_id))
        )
    paired = [RelationKind.HELPER_TEACHER.value, RelationKind.CARING_PARENT.value]
    if purpose is Purpose.VIEW:
        paired += [RelationKind.ENTRUSTED_GUARDIAN.value, RelationKind.FATHER.value, RelationKind.MOTHER.value]
    ids |= set(
        s.scalars(select(ChildRelation.child_id).where(
            ChildRelation.person_id == actor.person_id, ChildRelation.kind.in_(paired)))
    )
    if not ids:
        return []
    return list(s.scalars(select(Child).where(Child.id.in_(ids), Child.active.is_(True)).order_by(Child.id)))


def find_children(uow, actor, *, purpose, name=None):
    refs = []
    for child in _scope(uow, actor, purpose):
        if name is not None and child.name != name:
            continue
        klass = uow.session.get(SchoolClass, child.class_id) if child.class_id else None
        refs.append(ChildRef(child.id, child.name, klass.name if klass else None))
    return refs


def can_act_on_child(uow, actor, child_id, *, purpose):
    return any(c.id == child_id for c in _scope(uow, actor, purpose))


def talks_due(uow, *, person_id, now, timezone):
    s = uow.session
    actor = _actor(s, s.get(Person, person_id))
    kind = TalkKind.CLASS_TEACHER_MONTHLY if Role.CLASS_TEACHER in actor.roles else TalkKind.VOLUNTEER_WEEKLY
    period = talk_period(kind, now, timezone)
    local = now.astimezone(ZoneInfo(timezone))
    end = (local.replace(day=1, hour=0, minute=0, second=0, microsecond=0) + timedelta(days=32)).replace(day=1)
    out = []
    for ref in find_children(uow, actor, purpose=Purpose.TALK):
        done = s.scalar(select(TalkRecord.id).where(
            TalkRecord.child_id == ref.id, TalkRecord.kind == kind.value, TalkRecord.period == period))
        if done is None:
            out.append(DueTalk(ref.id, ref.name, ref.class_name, kind.value, period, end, overdue=False))
    return out


def report_incident(uow, *, reporter_id, child_id, kind, severity, description, now, request_key=None):
    s = uow.session
    if request_key is not None:
        existing = s.scalar(select(Incident.id).where(Incident.request_key == request_key))
        if existing is not None:
            return existing
    row = Incident(child_id=child_id, reporter_id=reporter_id, kind=kind, severity=severity,
                   description=description, reported_at=now, status="open", policy={}, request_key=request_key)
    s.add(row)
    s.flush()
    return row.id


def acknowledge(uow, *, person_id, incident_id, now):
    s = uow.session
    incident = s.get(Incident, incident_id)
    if incident is None:
        return AckResult.NOT_RECIPIENT
    if incident.status == "closed":
        return AckResult.CLOSED
    steps = list(s.scalars(select(IncidentStep).where(
        IncidentStep.incident_id == incident_id, IncidentStep.person_id == person_id)))
    if not steps:
        return AckResult.NOT_RECIPIENT
    if all(step.acknowledged_at is not None for step in steps):
        return AckResult.ALREADY
    for step in steps:
        step.acknowledged_at = step.acknowledged_at or now
    return AckResult.ACKNOWLEDGED


def close_incident(uow, *, person_id, incident_id, now):
    s = uow.session
    incident = s.get(Incident, incident_id)
    person = s.get(Person, person_id)
    if incident is None or person is None or (incident.reporter_id != person_id and not person.role_set & ADMIN_ROLES):
        return CloseResult.DENIED
    if incident.status == "closed":
        return CloseResult.ALREADY
    incident.status, incident.closed_at, incident.closed_by_id = "closed", now, person_id
    return CloseResult.CLOSED


def record_checkin_answer(uow, *, guardian_id, checkin_id, answer, now):
    checkin = uow.session.get(Checkin, checkin_id)
    if checkin is None or checkin.guardian_id != guardian_id:
        return AnswerResult.NOT_YOURS
    if checkin.answered_at is not None:
        return AnswerResult.ALREADY
    checkin.answer, checkin.answered_at = answer, now
    return AnswerResult.RECORDED


def record_checkin_note(uow, *, guardian_id, checkin_id, note, now, help_kind=None):
    checkin = uow.session.get(Checkin, checkin_id)
    if checkin is None or checkin.guardian_id != guardian_id:
        raise LookupError(checkin_id)
    note = f"[{help_kind}] {note}" if help_kind and note else (note or help_kind or "")
    checkin.follow_up_text = f"{checkin.follow_up_text}\n{note}" if checkin.follow_up_text else note


@pytest.fixture
def fake_services(monkeypatch: pytest.MonkeyPatch) -> None:
    """Install the fakes in place of the contract stubs."""
    for module, names in (
        (identity, ("actor_for", "bind", "set_locale")),
        (access, ("find_children", "can_act_on_child")),
        (due, ("talks_due",)),
        (incidents, ("report_incident", "acknowledge", "close_incident")),
        (checkins, ("record_checkin_answer", "record_checkin_note")),
    ):
        for name in names:
            monkeypatch.setattr(module, name, globals()[name])
