"""Signing in to the dashboard: a one-time link sent in chat, a session that expires, TOTP for school staff.

* ``/web`` in chat (:func:`create_link`) makes a link valid for
  :data:`LINK_MINUTES`, usable once; only its SHA-256 is stored, like invite codes.
* Opening it shows a button; pressing it (a POST, so a chat app's link preview
  never signs anyone in) redeems the link and starts a session
  (:func:`redeem`): a random cookie (stored hashed), a CSRF token for every
  form, an idle timeout and an absolute one.
* Everyone of a school (admins, leaders, the safeguarding lead: whoever can
  see a child's card or download the school's records) must also give a TOTP code (RFC 6238, pyotp):
  the first time, the dashboard shows the secret to add to an authenticator
  app and a code confirms it. A code is accepted once (replays refused).
  After :data:`MAX_TOTP_FAILURES` wrong codes the session ends (a new link
  from ``/web`` is needed), the attempt is logged, and the person is told in
  chat that someone failed to sign in as them. Wrong codes are also counted
  per person over all their sessions (``StaffTotp.failures``): from the
  tenth, every :data:`MAX_TOTP_FAILURES`-th locks their sign-in for :data:`LOCK_FIRST`,
  doubling each time up to :data:`LOCK_MOST`, and tells them and their
  school's admins and leaders; while locked no code is even checked. A
  right code clears the count (break9: 40 fresh links × 5 guesses).

Who may sign in at all: the people ``/report`` is for (a school's admins,
leaders and safeguarding lead; officials).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
from sqlalchemy import select

from bot.domain.enums import Priority
from bot.messages.prompt import N_, Prompt, dt, text
from bot.services import figures
from bot.services.identity import Actor, school_admin_ids
from bot.services.outbox import enqueue
from bot.services.ports import UnitOfWork
from bot.store.models import Person, School, StaffTotp, WebLoginLink, WebSession

log = logging.getLogger(__name__)
LINK_MINUTES = 15
IDLE_MINUTES = 30
SESSION_HOURS = 8
TOTP_ISSUER = "guanai"
MAX_TOTP_FAILURES = 5
LOCK_FIRST = timedelta(minutes=15)
LOCK_MOST = timedelta(hours=24)
LOCKED = N_("{count} wrong authenticator codes have been given signing in to the dashboard as {name}, so signing "
            "in as {name} is locked until {until}. If {name} did not try, someone may have their chat: please "
            "check with them.")
FAILED_SIGN_IN = N_("Someone opened your dashboard sign-in link and gave {count} wrong authenticator codes, so "
                    "that sign-in was ended. If it was not you, tell the school's admin; send /web for a new link.")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class WebUser:
    """The person behind a dashboard session.

    Attributes:
        actor: who they are (roles, school, locale, zone).
        csrf: the session's CSRF token (every form carries it).
        needs_totp: school staff who have not given a TOTP code in this session yet.
        official: sees aggregates only.
    """

    actor: Actor
    csrf: str
    needs_totp: bool
    official: bool


def may_sign_in(roles: frozenset[str]) -> bool:
    """Whether these roles may use the dashboard (the people figures are for)."""
    return bool(figures.REPORT_ROLES & roles)


def create_link(uow: UnitOfWork, person_id: int, now: datetime) -> str:
    """A new one-time sign-in token for the person (the caller builds the URL and commits)."""
    token = secrets.token_urlsafe(24)
    uow.session.add(WebLoginLink(person_id=person_id, token_hash=_hash(token), created_at=now,
                                 expires_at=now + timedelta(minutes=LINK_MINUTES)))
    uow.session.flush()
    return token


def link_valid(uow: UnitOfWork, token: str, now: datetime) -> bool:
    """Whether the link can still be used (the page before the sign-in button)."""
    link = uow.session.scalar(select(WebLoginLink).where(WebLoginLink.token_hash == _hash(token)))
    return link is not None and link.used_at is None and link.expires_at > now


def redeem(uow: UnitOfWork, token: str, now: datetime) -> str | None:
    """Use the link once and start a session; the session's cookie value, or None (unknown, used, expired)."""
    link = uow.session.scalar(select(WebLoginLink).where(WebLoginLink.token_hash == _hash(token)).with_for_update())
    if link is None or link.used_at is not None or link.expires_at <= now:
        return None
    person = uow.session.get(Person, link.person_id)
    if person is None or not may_sign_in(person.role_set):
        return None
    link.used_at = now
    cookie = secrets.token_urlsafe(32)
    uow.session.add(WebSession(person_id=person.id, token_hash=_hash(cookie), csrf_token=secrets.token_urlsafe(24),
                               created_at=now, expires_at=now + timedelta(hours=SESSION_HOURS), last_seen_at=now))
    uow.session.flush()
    return cookie


def _session(uow: UnitOfWork, cookie: str, now: datetime) -> WebSession | None:
    row = uow.session.scalar(select(WebSession).where(WebSession.token_hash == _hash(cookie)))
    if row is None or row.ended_at is not None or row.expires_at <= now \
            or row.last_seen_at + timedelta(minutes=IDLE_MINUTES) <= now:
        return None
    return row


def user_for(uow: UnitOfWork, cookie: str, now: datetime, default_locale: str) -> WebUser | None:
    """The signed-in user of a cookie, or None (unknown, ended, idle too long, past its end); touches the session."""
    row = _session(uow, cookie, now)
    if row is None:
        return None
    person = uow.session.get(Person, row.person_id)
    if person is None or not may_sign_in(person.role_set):
        return None
    row.last_seen_at = now
    school = uow.session.get(School, person.school_id)
    actor = Actor(person_id=person.id, name=person.name, school_id=person.school_id, roles=person.role_set,
                  locale=person.locale or (school.locale if school else None) or default_locale,
                  timezone=school.timezone if school else "Asia/Shanghai")
    official = not (figures.SCHOOL_ROLES & person.role_set)
    # Not only admins: a safeguarding lead downloads the roster, a class teacher among them reads cards.
    needs = not official and row.totp_at is None
    return WebUser(actor, row.csrf_token, needs, official)


def end(uow: UnitOfWork, cookie: str, now: datetime) -> None:
    """Sign out: the session ends at once."""
    row = uow.session.scalar(select(WebSession).where(WebSession.token_hash == _hash(cookie)))
    if row is not None and row.ended_at is None:
        row.ended_at = now


ENROL = {"enrol": "1"}
""":func:`totp_setup`'s answer while the code sent to the person's chat has not been typed yet."""
ENROL_CODE = N_("Someone is setting up the dashboard's two-step check as you. If it is you, enter this code on the "
                "page: {code}. If it is not you, do not pass it on, and tell the school's admin.")


def totp_setup(uow: UnitOfWork, cookie: str, now: datetime) -> dict[str, str] | None:
    """What the TOTP page shows school staff without a confirmed TOTP; None for anyone else.

    The key only once this session typed the code sent to the person's chat (:data:`ENROL` until then;
    the code is sent on the first ask): whoever opens a forwarded or overseen first sign-in link must
    not take over the second factor (break9).

    Returns:
        ``{"secret": …, "uri": otpauth URI}``, :data:`ENROL`, or None (confirmed already, or no session).
    """
    session = _session(uow, cookie, now)
    if session is None:
        return None
    person_id = session.person_id
    row = uow.session.scalar(select(StaffTotp).where(StaffTotp.person_id == person_id))
    if row is not None and row.confirmed_at is not None:
        return None
    if row is None:
        row = StaffTotp(person_id=person_id, secret=pyotp.random_base32())
        uow.session.add(row)
        uow.session.flush()
    if session.enrol_ok_at is None:
        if session.enrol_code_hash is None:
            code = f"{secrets.randbelow(10**6):06d}"
            session.enrol_code_hash = _hash(f"{session.id}:{code}")
            enqueue(uow.session, key=f"web:{session.id}:enrol", person_id=person_id, priority=Priority.URGENT,
                    prompt=Prompt(ENROL_CODE, {"code": code}), now=now)
        return dict(ENROL)
    person = uow.session.get(Person, person_id)
    uri = pyotp.TOTP(row.secret).provisioning_uri(name=f"{person.name if person else person_id}",
                                                  issuer_name=TOTP_ISSUER)
    return {"secret": row.secret, "uri": uri}


def verify_totp(uow: UnitOfWork, cookie: str, code: str, now: datetime, *,
                code_time: datetime | None = None) -> bool | None:
    """Check a code for this session (±30 s); a code already used is refused, a wrong one counted.

    Before a first setup's key is shown, the code is the one sent to the person's chat
    (:func:`totp_setup`): None when it is right (the key may be shown now).

    Args:
        uow: the unit of work.
        cookie: the session cookie.
        code: what the person typed (digits are kept).
        now: the database clock (UTC): sessions, locks, the audit.
        code_time: the time the authenticator app computed the code at (UTC); default ``now``. Only the
            demo's moved clock differs from it.
    """
    session = _session(uow, cookie, now)
    if session is None:
        return False
    row = uow.session.scalar(select(StaffTotp).where(StaffTotp.person_id == session.person_id).with_for_update())
    code = "".join(ch for ch in code if ch.isdigit())
    if row is None:
        return False
    if row.locked_until is not None and now < row.locked_until:
        session.ended_at = now  # locked: no code is checked, not even a right one
        log.warning("web session %s of person %s refused: TOTP locked", session.id, session.person_id)
        return False
    if len(code) != 6:
        _wrong_code(uow, session, now, row)
        return False
    if row.confirmed_at is None and session.enrol_ok_at is None:  # setting up: the code sent to the chat
        if session.enrol_code_hash is not None and secrets.compare_digest(
                _hash(f"{session.id}:{code}"), session.enrol_code_hash):
            session.enrol_ok_at = now
            return None
        _wrong_code(uow, session, now, row)
        return False
    totp = pyotp.TOTP(row.secret)
    step = int((code_time or now).timestamp()) // totp.interval
    for candidate in (step, step - 1, step + 1):
        if candidate <= (row.last_step or -1):
            continue
        if secrets.compare_digest(totp.generate_otp(candidate), code):
            row.last_step = candidate
            row.confirmed_at = row.confirmed_at or now
            row.failures, row.locked_until = 0, None
            session.totp_at = now
            return True
    _wrong_code(uow, session, now, row)
    return False


def locked_until(uow: UnitOfWork, cookie: str, now: datetime) -> tuple[datetime, Person] | None:
    """When the sign-in of this cookie's person is locked (:func:`_lock`), and who; None when it is not.

    Ended sessions count too (the lock ends the session it was reached in). Only the holder of a session
    cookie learns it, and a session is only ever started from a sign-in link sent to the person's own chat:
    nobody without one learns whether anyone is locked, or exists (the sign-in page reads the same to them).
    """
    row = uow.session.scalar(select(WebSession).where(WebSession.token_hash == _hash(cookie)))
    if row is None:
        return None
    until = uow.session.scalar(select(StaffTotp.locked_until).where(StaffTotp.person_id == row.person_id))
    person = uow.session.get(Person, row.person_id)
    if until is None or person is None:
        return None
    return (until, person) if now < until else None


def _lock(uow: UnitOfWork, session: WebSession, now: datetime, row: StaffTotp) -> bool:
    """Count a wrong code against the person; from the tenth every fifth locks them, telling them and the admins."""
    row.failures = (row.failures or 0) + 1
    if row.failures % MAX_TOTP_FAILURES or row.failures < 2 * MAX_TOTP_FAILURES:
        return False  # the first five end only their session (a person mistyping; :func:`_wrong_code`)
    row.locked_until = now + min(LOCK_FIRST * 2 ** (row.failures // MAX_TOTP_FAILURES - 2), LOCK_MOST)
    session.ended_at = now
    person = uow.session.get(Person, session.person_id)
    told = [session.person_id, *(p for p in school_admin_ids(uow, person.school_id) if p != session.person_id)] \
        if person is not None else [session.person_id]
    prompt = Prompt(LOCKED, {"count": row.failures, "name": text(person.name if person else ""),
                             "until": dt(row.locked_until)})
    for to in told:
        enqueue(uow.session, key=f"web:totp-locked:{session.person_id}:{row.failures}:to:{to}", person_id=to,
                prompt=prompt, priority=Priority.URGENT, now=now)
    log.warning("person %s: dashboard sign-in locked until %s after %s wrong TOTP codes", session.person_id,
                row.locked_until, row.failures)
    return True


def _wrong_code(uow: UnitOfWork, session: WebSession, now: datetime, row: StaffTotp) -> None:
    """Count a wrong code; the fifth ends the session and tells the person in chat (the caller commits)."""
    if _lock(uow, session, now, row):
        return  # they and the admins are told of the lock; the session has ended
    session.totp_failures = (session.totp_failures or 0) + 1
    if session.totp_failures < MAX_TOTP_FAILURES:
        return
    session.ended_at = now
    log.warning("web session %s of person %s ended after %s wrong TOTP codes", session.id, session.person_id,
                session.totp_failures)
    enqueue(uow.session, key=f"web:{session.id}:totp-failed", person_id=session.person_id,
            prompt=Prompt(FAILED_SIGN_IN, {"count": session.totp_failures}), priority=Priority.URGENT, now=now)
