"""A small synthetic school for tests (every name invented).

::

    三年级1班 (class teacher 李老师):  张三 (A), 李四, 赵六
    三年级2班 (class teacher 王老师):  张三 (B), 王五
    陈老师 (helper teacher): paired with 张三 (A) and 张三 (B) — two namesakes in scope
    张爷爷 (entrusted guardian of 张三 A); 周校长 (school admin)

Chat accounts (Telegram): 李老师 "1001", 陈老师 "1002", 王老师 "1003",
张爷爷 "2001", 周校长 "3001". Invite codes (SHA-256 stored): "GOODCODE"
(for 王老师's second phone, valid 72 h), "USEDCODE", "OLDCODE" (expired).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.enums import Channel, RelationKind, Role
from bot.store.models import (
    ChatAccount,
    Checkin,
    Child,
    ChildRelation,
    Incident,
    IncidentStep,
    Invite,
    Person,
    PersonRole,
    School,
    SchoolClass,
)
from bot.store.uow import UnitOfWorkFactory


@dataclass(frozen=True)
class SmallSchool:
    """Ids of the rows :func:`make_small_school` created."""

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


def code_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _person(session, school_id: int, name: str, key: str, *roles: Role) -> Person:
    person = Person(school_id=school_id, name=name, natural_key=key)
    person.roles = [PersonRole(role=r.value) for r in roles]
    session.add(person)
    session.flush()
    return person


def make_small_school(uow_factory: UnitOfWorkFactory, now: datetime) -> SmallSchool:
    """Create the school above and return its ids. ``now`` is UTC (bind and check-in times)."""
    with uow_factory() as uow:
        s = uow.session
        school = School(name="测试小学", timezone="Asia/Shanghai", locale="zh_Hans")
        s.add(school)
        s.flush()
        li = _person(s, school.id, "李老师", "staff:li", Role.CLASS_TEACHER)
        wang = _person(s, school.id, "王老师", "staff:wang", Role.CLASS_TEACHER)
        chen = _person(s, school.id, "陈老师", "staff:chen", Role.HELPER_TEACHER)
        grandpa = _person(s, school.id, "张爷爷", "guardian:zhang", Role.GUARDIAN)
        admin = _person(s, school.id, "周校长", "staff:zhou", Role.ADMIN)
        class_a = SchoolClass(school_id=school.id, grade="三年级", name="三年级1班", class_teacher_id=li.id)
        class_b = SchoolClass(school_id=school.id, grade="三年级", name="三年级2班", class_teacher_id=wang.id)
        s.add_all([class_a, class_b])
        s.flush()

        def child(name: str, no: str, klass: SchoolClass) -> Child:
            row = Child(school_id=school.id, class_id=klass.id, name=name, student_no=no, grade="三年级")
            s.add(row)
            s.flush()
            return row

        zhang_a = child("张三", "S001", class_a)
        li_si = child("李四", "S002", class_a)
        zhao_liu = child("赵六", "S003", class_a)
        zhang_b = child("张三", "S004", class_b)
        wang_wu = child("王五", "S005", class_b)
        s.add_all(
            [
                ChildRelation(child_id=zhang_a.id, kind=RelationKind.HELPER_TEACHER.value, person_id=chen.id),
                ChildRelation(child_id=zhang_b.id, kind=RelationKind.HELPER_TEACHER.value, person_id=chen.id),
                ChildRelation(child_id=zhang_a.id, kind=RelationKind.ENTRUSTED_GUARDIAN.value, person_id=grandpa.id),
            ]
        )
        for who, account in (("li", li), ("chen", chen), ("wang", wang), ("grandpa", grandpa), ("admin", admin)):
            s.add(ChatAccount(person_id=account.id, channel=Channel.TELEGRAM.value, account_id=ACCOUNTS[who], bound_at=now))
        s.add_all(
            [
                Invite(person_id=wang.id, code_hash=code_hash("GOODCODE"), created_at=now, expires_at=now + timedelta(hours=72)),
                Invite(person_id=li.id, code_hash=code_hash("USEDCODE"), created_at=now - timedelta(hours=1),
                       expires_at=now + timedelta(hours=71), used_at=now - timedelta(minutes=30)),
                Invite(person_id=li.id, code_hash=code_hash("OLDCODE"), created_at=now - timedelta(hours=100),
                       expires_at=now - timedelta(hours=28)),
            ]
        )
        checkin = Checkin(child_id=zhang_a.id, guardian_id=grandpa.id, period="2026-W49", sent_at=now,
                          reminder_due_at=now + timedelta(hours=48))
        incident = Incident(child_id=zhang_a.id, reporter_id=li.id, kind="injury", severity="minor",
                            description="摔倒擦伤", reported_at=now, status="open", policy={})
        s.add_all([checkin, incident])
        s.flush()
        s.add(IncidentStep(incident_id=incident.id, step_no=1, person_id=grandpa.id, send_by=now,
                           due_by=now + timedelta(minutes=30), sent_at=now))
        uow.commit()
        return SmallSchool(
            school_id=school.id, class_a=class_a.id, class_b=class_b.id, li=li.id, wang=wang.id, chen=chen.id,
            grandpa=grandpa.id, admin=admin.id, zhang_a=zhang_a.id, zhang_b=zhang_b.id, li_si=li_si.id,
            zhao_liu=zhao_liu.id, wang_wu=wang_wu.id, checkin=checkin.id, incident=incident.id,
        )


class Chat:
    """One chat account talking to a :class:`~bot.flows.engine.FlowEngine`, as a test sees it.

    ``send`` and ``press`` return the reply rendered with the real catalogs
    (:func:`bot.i18n.render`) in the reply's locale.
    """

    def __init__(self, engine, account_id: str, channel: str = Channel.TELEGRAM.value, is_group: bool = False) -> None:
        self.engine = engine
        self.account_id = account_id
        self.channel = channel
        self.is_group = is_group
        self.reply = None
        self.rendered: list = []

    def _handle(self, **kwargs):
        from bot.flows.engine import Inbound
        from bot.i18n import render

        self.reply = self.engine.handle(
            Inbound(channel=self.channel, account_id=self.account_id, is_group=self.is_group, **kwargs)
        )
        self.rendered = [render(p, self.reply.locale, self.reply.timezone) for p in self.reply.prompts]
        return self.rendered

    def send(self, text: str, update_key: str | None = None):
        return self._handle(text=text, update_key=update_key)

    def press(self, payload: str, update_key: str | None = None):
        return self._handle(payload=payload, update_key=update_key)

    @property
    def text(self) -> str:
        """All text of the last reply."""
        return "\n".join(r.text for r in self.rendered)

    @property
    def choices(self) -> list[tuple[str, str]]:
        """(label, payload) of the last reply's choices."""
        return [c for r in self.rendered for c in r.choices]

    def payload(self, label: str) -> str:
        """The payload of the button labelled ``label`` in the last reply."""
        for shown, payload in self.choices:
            if shown == label:
                return payload
        raise AssertionError(f"no button {label!r} in {self.choices!r}")

    def tap(self, label: str, update_key: str | None = None):
        """Press the button labelled ``label`` in the last reply."""
        return self.press(self.payload(label), update_key)
