"""The no-signal alarm: a school's admins hear when messages do not get through (issue 7 item 7).

Run by the scheduler's tick. Two signs that a channel may be failing a
school without any error to show for it:

* an urgent message (an incident alert) has waited more than a minute after it
  was due — the admins are told whom it was for and that person's phone, once
  per message;
* none of the school's weekly check-ins got an answer by Sunday
  (``bot.services.health.CHECKIN_SILENCE`` after sending) — once per silent
  round: the key is the week of the round's last check-in, not the week the
  alarm is raised in, since the same unanswered check-ins are still in the
  window after Sunday midnight (the re-trial's principal was told twice, on
  Sunday and again on Monday).

Each admin is told over a channel other than the failing one when they have
an account there (the failing one: the channel of the recipient's, or most
guardians', first account); otherwise on their usual account.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.domain.enums import ADMIN_ROLES, Priority
from bot.domain.periods import week_period
from bot.messages.prompt import N_, Prompt, PromptKind, phone, plural, text
from bot.services import health, incident_rows
from bot.services.incident_roles import kept_away_ids
from bot.services.outbox import enqueue
from bot.services.ports import UnitOfWork
from bot.store.models import ChatAccount, Checkin, Child, OutboxMessage, Person, PersonRole, School

URGENT_STUCK = N_("No signal: an urgent message for {name} has not gone out for {minutes} minutes. "
                  "Please phone them: {phone}.")
URGENT_STUCK_NO_PHONE = N_("No signal: an urgent message for {name} has not gone out for {minutes} minutes, "
                           "and there is no phone number on record. Please reach them another way.")
SCHOOL_SILENT = N_("No signal: the {count} guardian asked in this week's check-in has not answered. "
                   "Please check that our messages reach them.")
"""The notice's message id (its singular form; the plural is given where it is made)."""


def _first_channel(s: Session, person_ids: list[int]) -> str | None:
    channels = Counter(s.scalars(select(ChatAccount.channel).where(ChatAccount.person_id.in_(person_ids))).all())
    return channels.most_common(1)[0][0] if channels else None


def _tell_admins(uow: UnitOfWork, school_id: int, key: str, prompt: Prompt, *, avoid: str | None,
                 now: datetime, about: OutboxMessage | None = None) -> int:
    """Tell the school's admins; when ``about`` is an incident's row, never anyone the incident keeps away.

    The accused principal left out of an abuse report must not read that an urgent message for the
    education bureau is stuck (fix9s); when every admin is kept away, whoever stands in for them
    (:func:`bot.services.incident_rows.stand_ins_for`) is told.
    """
    s = uow.session
    admins = list(s.scalars(select(Person.id).join(PersonRole, PersonRole.person_id == Person.id).where(
        Person.school_id == school_id, PersonRole.role.in_([r.value for r in ADMIN_ROLES])).distinct()).all())
    incident = incident_rows.incident_of(uow, about) if about is not None else None
    if incident is not None and about is not None and about.person_id is not None:
        gone = kept_away_ids(uow, incident.id)
        admins = [a for a in admins if a not in gone] or incident_rows.stand_ins_for(uow, incident, about.person_id)
    told = 0
    for admin in admins:
        other = s.scalar(select(ChatAccount).where(
            ChatAccount.person_id == admin, ChatAccount.channel != (avoid or ""),
            ChatAccount.pending_since.is_(None), ChatAccount.unreachable_at.is_(None)).order_by(ChatAccount.id))
        before = s.scalar(select(OutboxMessage.id).where(OutboxMessage.key == f"{key}:to:{admin}"))
        if before is not None:
            continue
        elsewhere = other if other is not None and avoid else None
        enqueue(s, key=f"{key}:to:{admin}", person_id=admin, prompt=prompt, priority=Priority.URGENT, now=now,
                to_channel=elsewhere.channel if elsewhere else None,
                to_account=elsewhere.account_id if elsewhere else None)
        told += 1
    return told


def raise_alarms(uow: UnitOfWork, *, now: datetime, settings: Settings) -> int:
    """Tell the admins of schools where messages do not get through. Returns how many messages were enqueued."""
    s = uow.session
    told = 0
    stuck = s.execute(
        select(OutboxMessage.id, OutboxMessage.not_before, Person.id, Person.name, Person.phone, Person.school_id)
        .join(Person, Person.id == OutboxMessage.person_id)
        .where(OutboxMessage.priority == Priority.URGENT.value, OutboxMessage.sent_at.is_(None),
               OutboxMessage.failed_at.is_(None), OutboxMessage.cancelled_at.is_(None),
               OutboxMessage.not_before < now - health.URGENT_LATE,
               ~OutboxMessage.key.like("alarm:%"))
        .order_by(OutboxMessage.not_before).limit(100)
    ).all()
    for row_id, due, person_id, name, tel, school_id in stuck:
        minutes = max(1, int((now - due) / timedelta(minutes=1)))
        prompt = (Prompt(URGENT_STUCK, {"name": text(name), "minutes": minutes, "phone": phone(tel)},
                         kind=PromptKind.NOTICE) if tel else
                  Prompt(URGENT_STUCK_NO_PHONE, {"name": text(name), "minutes": minutes}, kind=PromptKind.NOTICE))
        told += _tell_admins(uow, school_id, f"alarm:urgent:{row_id}", prompt,
                             avoid=_first_channel(s, [person_id]), now=now, about=s.get(OutboxMessage, row_id))
    silent = health.silent_rounds(s, now=now)
    for school_id, (count, last_sent) in silent.items():
        tz = s.scalar(select(School.timezone).where(School.id == school_id)) or settings.timezone
        guardians = [g for g in s.scalars(select(Checkin.guardian_id).join(Child, Child.id == Checkin.child_id).where(
            Child.school_id == school_id, Checkin.sent_at > now - timedelta(days=7))) if g is not None]
        told += _tell_admins(uow, school_id, f"alarm:silent:{school_id}:{week_period(last_sent, tz)}",
                             Prompt(*plural("No signal: the {count} guardian asked in this week's check-in has not "
                                            "answered. Please check that our messages reach them.",
                                            "No signal: none of the {count} guardians asked in this week's check-in "
                                            "has answered. Please check that our messages reach them.", count,
                                            count=count), kind=PromptKind.NOTICE),
                             avoid=_first_channel(s, guardians), now=now)
    return told
