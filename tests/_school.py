"""A tiny synthetic school and a fake sender for delivery, check-in and digest tests.

Every name and number here is invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.domain.enums import Channel, RelationKind, Role
from bot.flows.prompt import Prompt
from bot.services.ports import PermanentSendError, TransientSendError
from bot.store.models import ChatAccount, Child, ChildRelation, Person, PersonRole, School, SchoolClass
from bot.store.uow import UnitOfWorkFactory

T0 = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass
class Sent:
    account_id: str
    prompt: Prompt
    locale: str
    timezone: str


@dataclass
class FakeSender:
    """Records sends; ``fail[account_id]`` is a list of exceptions raised on the next sends to that account."""

    channel: str = Channel.TELEGRAM.value
    sent: list[Sent] = field(default_factory=list)
    fail: dict[str, list[Exception]] = field(default_factory=dict)
    blocked: set[str] = field(default_factory=set)

    async def send(self, account_id: str, prompt: Prompt, locale: str, timezone: str) -> None:
        if account_id in self.blocked:
            raise PermanentSendError("Forbidden: bot was blocked by the user")
        queue = self.fail.get(account_id)
        if queue:
            raise queue.pop(0)
        self.sent.append(Sent(account_id, prompt, locale, timezone))

    def to(self, account_id: str) -> list[Sent]:
        return [s for s in self.sent if s.account_id == account_id]


def transient(retry_after: float | None = None) -> TransientSendError:
    return TransientSendError("network", retry_after=retry_after)


@dataclass
class Ids:
    school: int
    klass: int
    teacher: int  # class teacher
    helper: int  # helper teacher paired with the child
    volunteer: int  # caring parent paired with the child
    guardian: int  # entrusted guardian (grandmother)
    mother: int
    child: int


def make_school(uow_factory: UnitOfWorkFactory, *, accounts: bool = True) -> Ids:
    """One school, one class, one left-behind child with a guardian, a mother, a helper and a volunteer.

    With ``accounts``, everyone but the mother has a Telegram account whose id is ``tg-<person id>``.
    """
    with uow_factory() as uow:
        s = uow.session
        school = School(name="测试小学", timezone="Asia/Shanghai", locale="zh_Hans")
        s.add(school)
        s.flush()

        def person(name: str, role: Role, phone: str | None = None, locale: str | None = None) -> Person:
            p = Person(school_id=school.id, name=name, phone=phone, natural_key=f"t:{name}", locale=locale)
            p.roles.append(PersonRole(role=role.value))
            s.add(p)
            s.flush()
            return p

        teacher = person("王老师", Role.CLASS_TEACHER, "+8613800000001")
        helper = person("李老师", Role.HELPER_TEACHER, "+8613800000002", locale="en")
        volunteer = person("赵妈妈", Role.CARING_PARENT)
        guardian = person("张奶奶", Role.GUARDIAN, "+8613800000003")
        mother = person("张妈妈", Role.PARENT, "+8613800000004")
        klass = SchoolClass(school_id=school.id, grade="三年级", name="三(1)班", class_teacher_id=teacher.id)
        s.add(klass)
        s.flush()
        child = Child(school_id=school.id, class_id=klass.id, name="张小明", student_no="S001", active=True)
        s.add(child)
        s.flush()
        for kind, who in (
            (RelationKind.ENTRUSTED_GUARDIAN, guardian),
            (RelationKind.MOTHER, mother),
            (RelationKind.HELPER_TEACHER, helper),
            (RelationKind.CARING_PARENT, volunteer),
        ):
            s.add(ChildRelation(child_id=child.id, kind=kind.value, person_id=who.id))
        if accounts:
            for p in (teacher, helper, volunteer, guardian):
                add_account(s, p.id, f"tg-{p.id}")
        uow.commit()
        return Ids(school.id, klass.id, teacher.id, helper.id, volunteer.id, guardian.id, mother.id, child.id)


def add_account(session, person_id: int, account_id: str, *, channel: str = Channel.TELEGRAM.value,
                bound_at: datetime = T0, last_seen_at: datetime | None = None) -> ChatAccount:
    account = ChatAccount(person_id=person_id, channel=channel, account_id=account_id, bound_at=bound_at,
                          last_seen_at=last_seen_at)
    session.add(account)
    session.flush()
    return account
