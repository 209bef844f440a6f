"""The number a family calls the school on, and how it is labelled (issue 6, item 5; issue 9).

A roster's school sheet may leave 学校电话 empty (the sample school does). An
alert must still give a number at the school besides the reporting teacher's,
so an admin's (then a leader's) mobile stands in; it is labelled with that
person's name (学校联系人 刘主任), never as the school's phone, which it is not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from bot.domain.enums import ADMIN_ROLES, LEADER_ROLES, Role
from bot.messages.prompt import N_, text
from bot.messages.prompt import phone as phone_param
from bot.services.ports import UnitOfWork
from bot.store.models import Person, PersonRole, School

SCHOOL_PHONE = N_("School phone: {phone}")
SCHOOL_CONTACT = N_("School contact {name}: {phone}")


@dataclass(frozen=True)
class SchoolNumber:
    """A number at the school.

    Attributes:
        phone: E.164.
        contact: the name of the person whose mobile stands in for a school phone not on record; None when
            ``phone`` is the school's own.
    """

    phone: str
    contact: str | None = None

    def line(self) -> tuple[str, dict[str, Any]]:
        """The message line giving this number, labelled truthfully."""
        if self.contact is None:
            return SCHOOL_PHONE, {"phone": phone_param(self.phone)}
        return SCHOOL_CONTACT, {"name": text(self.contact), "phone": phone_param(self.phone)}


def school_phone(uow: UnitOfWork, school_id: int | None) -> SchoolNumber | None:
    """The school's own phone, else its office's contact (an admin's mobile, then a leader's), else None."""
    if school_id is None:
        return None
    school = uow.session.get(School, school_id)
    if school is not None and school.phone:
        return SchoolNumber(school.phone)
    for roles in ((Role.ADMIN.value,), tuple(str(r) for r in ADMIN_ROLES), tuple(str(r) for r in LEADER_ROLES)):
        rows = uow.session.execute(
            select(Person.name, Person.phone).join(PersonRole, PersonRole.person_id == Person.id)
            .where(Person.school_id == school_id, PersonRole.role.in_(roles), Person.phone.is_not(None))
            .order_by(Person.id))
        for name, phone in rows:
            if phone:
                return SchoolNumber(phone, name)
    return None
