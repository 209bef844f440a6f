"""A guardian's phone corrected on the dashboard: refused when blank or another person's number.

In chat an empty phone is no value (``card_edit.Edit.BAD_VALUE``), another person's number is refused
(``card_edit.Edit.PHONE_TAKEN``, by :func:`phone_owner`, before old → new is shown and again when it is
saved), and a new number is shown, old → new and whose, before it is saved. The dashboard saves a form at
once, so it refuses what could not be meant: an emptied field, which would leave the child's entrusted
guardian unreachable in an incident, and a number already on record for someone else (a teacher's, another
family's), which would send the guardian's alerts and check-ins to that person.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.domain.roster_cells import FieldError
from bot.domain.roster_messages import MISSING
from bot.messages.prompt import N_
from bot.services.exports import national
from bot.services.ports import UnitOfWork
from bot.store import crypto
from bot.store.models import Person

PHONE_TAKEN = N_("{value} is already the phone number of {name}")
"""Why another person's number is refused (the dashboard says it beside the field)."""


def check_guardian_phone(uow: UnitOfWork, guardian_id: int, phone: str | None) -> None:
    """Refuse ``phone`` (as read: E.164 or None when blank) as the new phone of the guardian ``guardian_id``.

    Raises:
        FieldError: blank, or the number of another person on record (their name is given: staff see it).
    """
    if phone is None:
        raise FieldError("guardian_phone", MISSING)
    other = phone_owner(uow, guardian_id, phone)
    if other is not None:
        raise FieldError("guardian_phone", PHONE_TAKEN, value=national(phone) or phone, name=other)


def phone_owner(uow: UnitOfWork, guardian_id: int, phone: str) -> str | None:
    """The name of another person on record with ``phone`` (E.164), or None when nobody but the guardian has it.

    The one rule for the dashboard (:func:`check_guardian_phone`) and chat (``bot.services.card_edit``).
    """
    return uow.session.scalar(select(Person.name).where(Person.phone_index == crypto.phone_index(phone),
                                                        Person.id != guardian_id).order_by(Person.id).limit(1))
