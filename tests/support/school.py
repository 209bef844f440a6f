"""The one sample-school builder of the tests, and the small schools the tests are written against.

:class:`SchoolBuilder` writes a synthetic school in one unit of work: schools,
people with roles, classes, children, relations and chat accounts. The named
schools below are built with it, each the smallest world its tests need:

* :func:`tiny_school` — one class, one child with guardian, mother, helper and volunteer (delivery, check-ins,
  digests, scheduler).
* :func:`small_school` — two classes, namesakes, a check-in and an open incident (the flows, WeChat).
* :func:`chain_school` — one child with the whole contact chain, everyone on Telegram (end-to-end).
* :func:`access_school` — two schools, three classes, every role (access rules, invites).
* :func:`incident_school` — a child with guardians, parents and officials, a school policy (the incident chain).

Every name and number here is invented.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from bot.domain.enums import Channel, RelationKind, Role
from bot.domain.privacy import ALL_SCOPES, NOTICE_VERSION, ConsentChannel, ConsentDecision
from bot.services.ports import UnitOfWork, UowFactory
from bot.store.models import (
    ChatAccount,
    Checkin,
    Child,
    ChildRelation,
    Consent,
    Incident,
    IncidentStep,
    Invite,
    Person,
    PersonRole,
    School,
    SchoolClass,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def code_hash(code: str) -> str:
    """The SHA-256 an invite code is stored as."""
    return hashlib.sha256(code.encode()).hexdigest()


class SchoolBuilder:
    """Adds a synthetic school's rows to one session, in the order they are asked for.

    Args:
        session: the unit of work's session (the caller commits).
        name: the first school's name.
        timezone, locale: the first school's zone and language.
        policy: the first school's escalation policy overrides, or None.
    """

    def __init__(self, session: Session, name: str = "测试小学", *, timezone: str = "Asia/Shanghai",
                 locale: str = "zh_Hans", policy: dict[str, Any] | None = None) -> None:
        self.s = session
        self._keys = 0
        self.school_id = self.school(name, timezone=timezone, locale=locale, policy=policy)

    def school(self, name: str, *, timezone: str = "Asia/Shanghai", locale: str = "zh_Hans",
               policy: dict[str, Any] | None = None) -> int:
        """Another school; returns its id."""
        school = School(name=name, timezone=timezone, locale=locale, escalation_policy=policy)
        self.s.add(school)
        self.s.flush()
        return school.id

    def person(self, name: str, *roles: str, phone: str | None = None, key: str | None = None,
               locale: str | None = None, school: int | None = None) -> int:
        """A person with ``roles`` (``Role`` values, or any text for an unknown role); returns the id."""
        self._keys += 1
        person = Person(school_id=school or self.school_id, name=name, phone=phone, locale=locale,
                        natural_key=key or f"t:{self._keys}:{name}")
        person.roles = [PersonRole(role=str(r)) for r in roles]
        self.s.add(person)
        self.s.flush()
        return person.id

    def klass(self, name: str, *, teacher: int | None = None, grade: str | None = None,
              school: int | None = None) -> int:
        """A class (班级) with its class teacher; returns the id."""
        row = SchoolClass(school_id=school or self.school_id, grade=grade, name=name, class_teacher_id=teacher)
        self.s.add(row)
        self.s.flush()
        return row.id

    def child(self, name: str, student_no: str, klass: int, *, grade: str | None = None, active: bool = True,
              school: int | None = None, consent: bool = True) -> int:
        """A child in ``klass``; returns the id.

        ``consent``: the school holds the guardian's signed paper consent (the tests' usual world);
        False leaves it pending, as after a roster import.
        """
        row = Child(school_id=school or self.school_id, class_id=klass, name=name, student_no=student_no,
                    grade=grade, active=active)
        self.s.add(row)
        self.s.flush()
        if consent:
            grant_consent(self.s, row.id)
        return row.id

    def relate(self, child: int, kind: str, person: int) -> None:
        """``person`` stands to ``child`` as ``kind`` (a ``RelationKind`` value)."""
        self.s.add(ChildRelation(child_id=child, kind=str(kind), person_id=person))
        self.s.flush()

    def account(self, person: int, account_id: str, *, channel: str = Channel.TELEGRAM.value,
                bound_at: datetime = T0, last_seen_at: datetime | None = None) -> int:
        """A chat account bound to ``person``; returns its row id."""
        return add_account(self.s, person, account_id, channel=channel, bound_at=bound_at, last_seen_at=last_seen_at)


def grant_consent(session: Session, child_id: int, *, at: datetime = T0) -> None:
    """Record a guardian's paper consent for a child (``bot.services.consent``)."""
    session.add(Consent(child_id=child_id, decision=ConsentDecision.GRANTED.value, at=at,
                        channel=ConsentChannel.PAPER.value, notice_version=NOTICE_VERSION, scope=list(ALL_SCOPES)))
    session.flush()


def add_account(session: Session, person_id: int, account_id: str, *, channel: str = Channel.TELEGRAM.value,
                bound_at: datetime = T0, last_seen_at: datetime | None = None) -> int:
    """Bind a chat account to a person (outside a builder: a test adds one later); returns its row id."""
    account = ChatAccount(person_id=person_id, channel=channel, account_id=account_id, bound_at=bound_at,
                          last_seen_at=last_seen_at)
    session.add(account)
    session.flush()
    return account.id



def add_staff(session: Session, school_id: int, name: str, key: str, role: Role, *, now: datetime,
              locale: str | None = None) -> int:
    """A staff member with one ``role`` at the school, bound on Telegram as ``tg-<id>``; returns the person id."""
    person = Person(school_id=school_id, name=name, natural_key=key, locale=locale)
    person.roles = [PersonRole(role=role.value)]
    session.add(person)
    session.flush()
    add_account(session, person.id, f"tg-{person.id}", bound_at=now)
    return person.id

# --- tiny_school -------------------------------------------------------------------------------------

@dataclass
class Ids:
    """Ids of :func:`tiny_school`."""

    school: int
    klass: int
    teacher: int  # class teacher
    helper: int  # helper teacher paired with the child
    volunteer: int  # caring parent paired with the child
    guardian: int  # entrusted guardian (grandmother)
    mother: int
    child: int


def tiny_school(uow_factory: UowFactory, *, accounts: bool = True) -> Ids:
    """One school, one class, one left-behind child with a guardian, a mother, a helper and a volunteer.

    With ``accounts``, everyone but the mother has a Telegram account whose id is ``tg-<person id>``.
    """
    with uow_factory() as uow:
        b = SchoolBuilder(uow.session)
        teacher = b.person("王老师", Role.CLASS_TEACHER, phone="+8613800000001")
        helper = b.person("李老师", Role.HELPER_TEACHER, phone="+8613800000002", locale="en")
        volunteer = b.person("赵妈妈", Role.CARING_PARENT)
        guardian = b.person("张奶奶", Role.GUARDIAN, phone="+8613800000003")
        mother = b.person("张妈妈", Role.PARENT, phone="+8613800000004")
        klass = b.klass("三(1)班", teacher=teacher, grade="三年级")
        child = b.child("张小明", "S001", klass)
        for kind, who in ((RelationKind.ENTRUSTED_GUARDIAN, guardian), (RelationKind.MOTHER, mother),
                          (RelationKind.HELPER_TEACHER, helper), (RelationKind.CARING_PARENT, volunteer)):
            b.relate(child, kind, who)
        if accounts:
            for p in (teacher, helper, volunteer, guardian):
                b.account(p, f"tg-{p}")
        uow.commit()
        return Ids(b.school_id, klass, teacher, helper, volunteer, guardian, mother, child)


# --- small_school ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SmallSchool:
    """Ids of :func:`small_school`.

    ::

        三年级1班 (class teacher 李老师):  张三 (A), 李四, 赵六
        三年级2班 (class teacher 王老师):  张三 (B), 王五
        陈老师 (helper teacher): paired with 张三 (A) and 张三 (B) — two namesakes in scope
        张爷爷 (entrusted guardian of 张三 A); 周校长 (school admin)

    Chat accounts (Telegram): :data:`ACCOUNTS`. Invite codes (SHA-256 stored):
    "GOODCODE" (for 王老师's second phone, valid 72 h), "USEDCODE", "OLDCODE" (expired).
    """

    school_id: int
    class_a: int
    class_b: int
    li: int  # class teacher of 三年级1班
    wang: int  # class teacher of 三年级2班
    chen: int  # helper teacher
    grandpa: int  # entrusted guardian of zhang_a
    admin: int
    zhang_a: int
    zhang_b: int
    li_si: int
    zhao_liu: int
    wang_wu: int
    checkin: int  # this week's check-in of grandpa for zhang_a
    incident: int  # an open incident about zhang_a, grandpa in step 1


ACCOUNTS = {"li": "1001", "chen": "1002", "wang": "1003", "grandpa": "2001", "admin": "3001"}


def small_school(uow_factory: UowFactory, now: datetime) -> SmallSchool:
    """Create the school of :class:`SmallSchool`; ``now`` is UTC (bind and check-in times)."""
    with uow_factory() as uow:
        b = SchoolBuilder(uow.session)
        li = b.person("李老师", Role.CLASS_TEACHER, key="staff:li")
        wang = b.person("王老师", Role.CLASS_TEACHER, key="staff:wang")
        chen = b.person("陈老师", Role.HELPER_TEACHER, key="staff:chen")
        grandpa = b.person("张爷爷", Role.GUARDIAN, key="guardian:zhang")
        admin = b.person("周校长", Role.ADMIN, key="staff:zhou")
        class_a = b.klass("三年级1班", teacher=li, grade="三年级")
        class_b = b.klass("三年级2班", teacher=wang, grade="三年级")
        zhang_a = b.child("张三", "S001", class_a, grade="三年级")
        li_si = b.child("李四", "S002", class_a, grade="三年级")
        zhao_liu = b.child("赵六", "S003", class_a, grade="三年级")
        zhang_b = b.child("张三", "S004", class_b, grade="三年级")
        wang_wu = b.child("王五", "S005", class_b, grade="三年级")
        b.relate(zhang_a, RelationKind.HELPER_TEACHER, chen)
        b.relate(zhang_b, RelationKind.HELPER_TEACHER, chen)
        b.relate(zhang_a, RelationKind.ENTRUSTED_GUARDIAN, grandpa)
        for who, person in (("li", li), ("chen", chen), ("wang", wang), ("grandpa", grandpa), ("admin", admin)):
            b.account(person, ACCOUNTS[who], bound_at=now)
        s = uow.session
        s.add_all([
            Invite(person_id=wang, code_hash=code_hash("GOODCODE"), created_at=now,
                   expires_at=now + timedelta(hours=72)),
            Invite(person_id=li, code_hash=code_hash("USEDCODE"), created_at=now - timedelta(hours=1),
                   expires_at=now + timedelta(hours=71), used_at=now - timedelta(minutes=30)),
            Invite(person_id=li, code_hash=code_hash("OLDCODE"), created_at=now - timedelta(hours=100),
                   expires_at=now - timedelta(hours=28)),
        ])
        checkin = Checkin(child_id=zhang_a, guardian_id=grandpa, period="2026-W49", sent_at=now,
                          reminder_due_at=now + timedelta(hours=48))
        incident = Incident(child_id=zhang_a, reporter_id=li, kind="injury", severity="minor",
                            description="摔倒擦伤", reported_at=now, status="open", policy={})
        s.add_all([checkin, incident])
        s.flush()
        s.add(IncidentStep(incident_id=incident.id, step_no=1, person_id=grandpa, send_by=now,
                           due_by=now + timedelta(minutes=30), sent_at=now))
        uow.commit()
        return SmallSchool(
            school_id=b.school_id, class_a=class_a, class_b=class_b, li=li, wang=wang, chen=chen, grandpa=grandpa,
            admin=admin, zhang_a=zhang_a, zhang_b=zhang_b, li_si=li_si, zhao_liu=zhao_liu, wang_wu=wang_wu,
            checkin=checkin.id, incident=incident.id,
        )


# --- chain_school ------------------------------------------------------------------------------------

TG = {
    "li": 8_100_000_000_001,  # class teacher of 三年级1班
    "chen": 8_100_000_000_002,  # helper teacher of 张三
    "grandpa": 8_200_000_000_001,  # entrusted guardian of 张三
    "father": 8_200_000_000_002,
    "mother": 8_200_000_000_003,
    "bureau": 8_300_000_000_001,  # education bureau
    "town": 8_300_000_000_002,  # town government
    "admin": 8_300_000_000_003,  # principal (school admin)
}
"""Telegram user ids of :func:`chain_school` (64-bit, as real ones are)."""

PHONES = {
    "li": "+8613800000001",
    "chen": "+8613800000002",
    "grandpa": "+8613900000001",
    "father": "+8613900000002",
    "mother": "+8613900000003",
    "bureau": "+8613700000001",
    "town": "+8613700000002",
    "admin": "+8613700000003",
}


@dataclass(frozen=True)
class ChainSchool:
    """Ids of :func:`chain_school`; ``people`` maps the keys of :data:`TG` to person ids."""

    school_id: int
    class_id: int
    zhang_san: int
    li_si: int
    people: dict[str, int]

    def __getattr__(self, name: str) -> int:
        try:
            return self.people[name]
        except KeyError:
            raise AttributeError(name) from None


def chain_school(uow_factory: UowFactory, now: datetime, *, unbound: tuple[str, ...] = (),
                 consent: bool = True) -> ChainSchool:
    """One school (青山村小学), one class (三年级1班, class teacher 李老师), 张三 with guardian, parents, helper; 李四.

    The school also has an education-bureau contact, a town-government contact and
    a principal. Everyone has a phone and a bound Telegram account (id from
    :data:`TG`) except the keys listed in ``unbound``. ``consent=False``: 张三's guardians have not
    answered the privacy notice yet.
    """
    names = {
        "li": ("李老师", Role.CLASS_TEACHER),
        "chen": ("陈老师", Role.HELPER_TEACHER),
        "grandpa": ("张爷爷", Role.GUARDIAN),
        "father": ("张爸爸", Role.PARENT),
        "mother": ("张妈妈", Role.PARENT),
        "bureau": ("刘科长", Role.EDUCATION_BUREAU),
        "town": ("赵书记", Role.TOWN_GOVERNMENT),
        "admin": ("周校长", Role.ADMIN),
    }
    with uow_factory() as uow:
        b = SchoolBuilder(uow.session, "青山村小学")
        people: dict[str, int] = {}
        for key, (name, role) in names.items():
            people[key] = b.person(name, role, phone=PHONES[key], key=f"e2e:{key}")
            if key not in unbound:
                b.account(people[key], str(TG[key]), bound_at=now)
        klass = b.klass("三年级1班", teacher=people["li"], grade="三年级")
        zhang = b.child("张三", "E001", klass, grade="三年级", consent=consent)
        li_si = b.child("李四", "E002", klass, grade="三年级")
        for kind, key in ((RelationKind.ENTRUSTED_GUARDIAN, "grandpa"), (RelationKind.FATHER, "father"),
                          (RelationKind.MOTHER, "mother"), (RelationKind.HELPER_TEACHER, "chen")):
            b.relate(zhang, kind, people[key])
        uow.commit()
        return ChainSchool(b.school_id, klass, zhang, li_si, people)


# --- access_school -----------------------------------------------------------------------------------

@dataclass
class AccessSchool:
    """Ids of :func:`access_school` (all invented)."""

    school: int
    other_school: int
    class_a: int
    class_b: int
    class_c: int
    teacher_a: int  # class teacher of 三年级1班, also helper teacher of 李四 (class C)
    teacher_b: int  # class teacher of 三年级2班
    teacher_c: int  # class teacher of 四年级1班
    helper: int  # helper teacher paired with 张三 (class A)
    caring: int  # caring-parent volunteer 张强 paired with 张三 (class B)
    guardian_a: int  # entrusted guardian of 张三 (class A)
    guardian_b: int  # 张强, entrusted guardian of 张三 (class B)
    father_a: int  # father of 张三 (class A)
    leader: int
    admin: int
    bureau: int
    town: int
    janitor: int  # only an unknown role, though linked as class teacher and helper
    other_admin: int  # admin of another school
    zs_a: int  # 张三 in class A
    zs_b: int  # 张三 in class B
    li_si: int  # 李四 in class C
    wang: int  # 王 五 (stored with a space) in class A
    gone: int  # inactive child in class A
    other_child: int  # 张三 in the other school


def access_school(uow: UnitOfWork) -> AccessSchool:
    """Two schools, three classes, staff of every role, guardians and children, committed."""
    b = SchoolBuilder(uow.session)
    sid = b.school_id
    other = b.school("别的小学", locale="en")
    teacher_a = b.person("陈老师", Role.CLASS_TEACHER, Role.HELPER_TEACHER, phone="+8613800000001", key="test:ta")
    teacher_b = b.person("刘老师", Role.CLASS_TEACHER, phone="+8613800000002", key="test:tb")
    teacher_c = b.person("周老师", Role.CLASS_TEACHER, phone="+8613800000003", key="test:tc")
    janitor = b.person("吴师傅", "janitor", key="test:jan")
    class_a = b.klass("三年级1班", teacher=teacher_a, grade="三年级")
    class_b = b.klass("三年级2班", teacher=teacher_b, grade="三年级")
    class_c = b.klass("四年级1班", teacher=teacher_c, grade="四年级")
    ids = dict(
        school=sid, other_school=other, class_a=class_a, class_b=class_b, class_c=class_c,
        teacher_a=teacher_a, teacher_b=teacher_b, teacher_c=teacher_c, janitor=janitor,
        helper=b.person("赵老师", Role.HELPER_TEACHER, phone="+8613800000004", key="test:h"),
        caring=b.person("张强", Role.CARING_PARENT, phone="+8613812346956", key="test:cp"),
        guardian_a=b.person("张爷爷", Role.GUARDIAN, phone="+8613800000006", key="test:ga"),
        guardian_b=b.person("张强", Role.GUARDIAN, phone="+8613912347777", key="test:gb"),
        father_a=b.person("张建国", Role.PARENT, phone="+8613800000008", key="test:fa"),
        leader=b.person("孙校长", Role.SCHOOL_LEADER, phone="+8613800000009", key="test:l"),
        admin=b.person("钱主任", Role.ADMIN, phone="+8613800000010", key="test:ad", locale="en"),
        bureau=b.person("教育局李科长", Role.EDUCATION_BUREAU, phone="+8613800000011", key="test:eb"),
        town=b.person("镇政府何主任", Role.TOWN_GOVERNMENT, phone="+8613800000012", key="test:tg"),
        other_admin=b.person("外校管理员", Role.ADMIN, phone="+8613800000013", key="test:oad", school=other),
        zs_a=b.child("张三", "S1", class_a),
        zs_b=b.child("张三", "S2", class_b),
        li_si=b.child("李四", "S3", class_c),
        wang=b.child("王 五", "S4", class_a),
        gone=b.child("赵六", "S5", class_a, active=False),
    )
    ids["other_child"] = b.child("张三", "S1", b.klass("一年级1班", school=other), school=other)
    t = AccessSchool(**ids)
    b.relate(t.zs_a, RelationKind.HELPER_TEACHER, t.helper)
    b.relate(t.zs_b, RelationKind.CARING_PARENT, t.caring)
    b.relate(t.li_si, RelationKind.HELPER_TEACHER, t.teacher_a)
    b.relate(t.zs_a, RelationKind.ENTRUSTED_GUARDIAN, t.guardian_a)
    b.relate(t.zs_b, RelationKind.ENTRUSTED_GUARDIAN, t.guardian_b)
    b.relate(t.zs_a, RelationKind.FATHER, t.father_a)
    b.relate(t.gone, RelationKind.ENTRUSTED_GUARDIAN, t.guardian_a)
    # A person with an unknown role is linked anyway: the link alone must grant nothing.
    b.relate(t.wang, RelationKind.HELPER_TEACHER, t.janitor)
    uow.commit()
    return t


# --- incident_school ---------------------------------------------------------------------------------

@dataclass
class World:
    """Ids of :func:`incident_school`."""

    school: int
    child: int
    teacher: int
    admin: int
    leader: int
    guardian: int
    father: int
    mother: int
    bureau: int
    town: int
    stranger: int


def incident_school(uow_factory: UowFactory, *, policy: dict[str, Any] | None = None, guardians: int = 1) -> World:
    """One class with its teacher, an admin and a leader, a child with guardian(s) and parents, officials.

    Args:
        policy: the school's escalation policy overrides (``School.escalation_policy``).
        guardians: how many entrusted guardians the child has (``王奶奶0``, ``王奶奶1`` …).
    """
    with uow_factory() as uow:
        b = SchoolBuilder(uow.session, policy=policy)

        def person(name: str, key: str, phone: str | None, *roles: Role) -> int:
            return b.person(name, *roles, phone=phone, key=key, locale="zh_Hans")

        teacher = person("李老师", "t", "+8613800000001", Role.CLASS_TEACHER)
        admin = person("赵管理员", "a", "+8613800000002", Role.ADMIN)
        leader = person("钱校长", "l", "+8613800000003", Role.SCHOOL_LEADER)
        klass = b.klass("三年级(2)班", teacher=teacher)
        child = b.child("张三", "G001", klass)
        gids = [person(f"王奶奶{i}", f"g{i}", f"+861390000000{i}", Role.GUARDIAN) for i in range(guardians)]
        father = person("张父", "f", "+8613700000001", Role.PARENT)
        mother = person("张母", "m", None, Role.PARENT)
        for pid, kind in [*((g, RelationKind.ENTRUSTED_GUARDIAN) for g in gids),
                          (father, RelationKind.FATHER), (mother, RelationKind.MOTHER)]:
            b.relate(child, kind, pid)
        bureau = person("教育局孙", "b", "+8613600000001", Role.EDUCATION_BUREAU)
        town = person("镇政府周", "w", "+8613600000002", Role.TOWN_GOVERNMENT)
        stranger = person("路人", "x", None, Role.CLASS_TEACHER)
        uow.commit()
        return World(b.school_id, child, teacher, admin, leader, gids[0] if gids else 0, father, mother,
                     bureau, town, stranger)
