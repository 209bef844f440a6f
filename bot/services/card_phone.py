"""A guardian's phone corrected on the dashboard: refused when blank or another person's number.

In chat an empty phone is no value (``card_edit.Edit.BAD_VALUE``), another person's number is refused
(``card_edit.Edit.PHONE_TAKEN``, by :func:`phone_owner`, before old → new is shown and again when it is
saved), and a new number is shown, old → new and whose, before it is saved. The dashboard saves a form at
once, so it refuses what could not be meant: an emptied field, which would leave the child's entrusted
guardian unreachable in an incident, and a number already on record for someone else (a teacher's, another
family's), which would send the guardian's alerts and check-ins to that person.

Only the school's own people are looked at, and nobody is named: the form and the chat must not tell
whose a number is (break9: a principal typed any number and read the name of its owner in another school).
Every refusal is kept in the audit log (``PHONE_REFUSED``), so that someone trying numbers is seen.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bot.domain.privacy import AUDIT_WEB, AuditAction
from bot.domain.roster_cells import FieldError
from bot.domain.roster_messages import MISSING
from bot.messages.prompt import N_
from bot.services import audit
from bot.services.exports import national
from bot.services.ports import UnitOfWork
from bot.store import crypto
from bot.store.models import Person

PHONE_TAKEN = N_("{value} is already on record for another person at the school")
"""Why another person's number is refused (the dashboard says it beside the field)."""


def check_guardian_phone(uow: UnitOfWork, guardian_id: int, phone: str | None, *, actor_id: int, child_id: int,
                         now: datetime) -> None:
    """Refuse ``phone`` (as read: E.164 or None when blank) as the new phone of the guardian ``guardian_id``.

    A number refused as another person's is recorded in the audit log, committed here: the caller, which
    has changed nothing yet, ends without committing when the form is refused.

    Raises:
        FieldError: blank, or the number of another person of the guardian's school (never named).
    """
    if phone is None:
        raise FieldError("guardian_phone", MISSING)
    if phone_taken(uow, guardian_id, phone):
        audit.record(uow, actor_id=actor_id, action=AuditAction.PHONE_REFUSED, child_id=child_id, channel=AUDIT_WEB,
                     now=now, field="guardian_phone")
        uow.commit()
        raise FieldError("guardian_phone", PHONE_TAKEN, value=national(phone) or phone)


def phone_taken(uow: UnitOfWork, guardian_id: int, phone: str) -> bool:
    """Whether another person of the guardian's school has ``phone`` (E.164) on record.

    The one rule for the dashboard (:func:`check_guardian_phone`) and chat (``bot.services.card_edit``).
    Other schools' people are never looked at: whose a number is there is none of this school's business.
    """
    school_id = uow.session.scalar(select(Person.school_id).where(Person.id == guardian_id))
    return uow.session.scalar(select(Person.id).where(
        Person.phone_index == crypto.phone_index(phone), Person.id != guardian_id,
        Person.school_id == school_id).limit(1)) is not None
