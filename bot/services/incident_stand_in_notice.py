"""The reporter hears who stood in when the leaders of a safeguarding report were left out (fix9k).

When the accused is the principal and every leader is left out, the report goes to the admins, else to
the education bureau, else to the town government (:func:`~bot.services.incident_people.stand_ins`). The
reporting teacher was told only "已报告给学校领导…": she did not know that the report had gone to the
town's education office, nor whom to expect a call from. She is now told which role stood in and who,
and whom of the usual carriers the report passed over, never why (the reasons stay on the timeline:
someone else may have left them out).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import select

from bot.domain.enums import Priority
from bot.messages.prompt import N_, Prompt, text
from bot.services.incident_messages import role_param
from bot.services.incident_people import STAND_IN_ROLES
from bot.services.outbox import enqueue
from bot.services.ports import UnitOfWork
from bot.store.models import Child, Incident, Person, PersonRole


def stood_in_prompt(child: str, passed_over: Sequence[str], role: str, people: Sequence[str]) -> Prompt:
    """"Your report about 杨秀云: 王校长 left out, so it went to the education bureau (镇教育办张科长)."."""
    params = {"child": text(child), "left": [text(n) for n in passed_over], "role": role_param(role),
              "people": [text(n) for n in people]}
    if not passed_over:  # left out as someone of another school (a town official): no name of this school
        return Prompt(N_("Your report about {child}: its usual carriers are left out, so it went to the {role} "
                         "({people})."), params)
    return Prompt(N_("Your report about {child}: {left} left out, so it went to the {role} ({people})."), params)


def tell_reporter(uow: UnitOfWork, incident: Incident, stood_in: Sequence[tuple[int, str]],
                  left_out: Collection[int], *, now: datetime, not_before: datetime | None = None) -> None:
    """Tell the incident's reporter that ``stood_in`` carry it for the leaders ``left_out`` of it.

    Args:
        uow: the unit of work (the caller commits).
        incident: the safeguarding report.
        stood_in: ``(person id, role)`` of the stand-ins just added (one group of :data:`STAND_IN_ROLES`).
        left_out: everyone left out of the incident.
        now: UTC.
        not_before: when the chain starts (the notice follows the alert).
    """
    if not stood_in or incident.reporter_id in {p for p, _r in stood_in}:
        return  # nobody stood in, or the reporter is a stand-in and has the alert itself
    role = stood_in[0][1]
    group = next((i for i, roles in enumerate(STAND_IN_ROLES) if role in roles), len(STAND_IN_ROLES))
    before = {r for roles in STAND_IN_ROLES[:group] for r in roles}
    s = uow.session
    school_id = s.scalar(select(Child.school_id).where(Child.id == incident.child_id))
    rank = {r: i for i, roles in enumerate(STAND_IN_ROLES) for r in roles}
    found = s.execute(
        select(Person.id, Person.name, PersonRole.role).join(PersonRole, PersonRole.person_id == Person.id)
        .where(Person.id.in_(list(left_out)), Person.school_id == school_id, PersonRole.role.in_(before))).all()
    passed_over = list(dict.fromkeys(name for _r, _p, name in sorted((rank[r], p, n) for p, n, r in found)))
    names = dict(s.execute(select(Person.id, Person.name).where(Person.id.in_([p for p, _r in stood_in]))).all())
    people = [names[p] for p, _r in stood_in if p in names]
    ids = ",".join(str(p) for p, _r in stood_in)
    enqueue(s, key=f"incident:{incident.id}:stood_in:{ids}:to:{incident.reporter_id}",
            person_id=incident.reporter_id, prompt=stood_in_prompt(_child(uow, incident), passed_over, role, people),
            priority=Priority.URGENT, now=now, not_before=not_before, child_id=incident.child_id)


def _child(uow: UnitOfWork, incident: Incident) -> str:
    return uow.session.scalar(select(Child.name).where(Child.id == incident.child_id)) or ""
