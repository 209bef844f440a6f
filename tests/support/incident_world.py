"""A synthetic school for the incident tests (issue 6 items 2 and 5, issue 10 items 5 and 9).

Every name and number here is invented (the names follow the shared sample
roster's style)::

    清溪小学, phone 0851 8522 1234, zone Asia/Shanghai
    一年级（1）班, class teacher 王老师:  杨秀云 (guardian 张强 外祖父, father 杨杨, mother 谢冬梅),
                                         杨婷 (guardian 杨兵)
    二年级（1）班, class teacher 袁老师 (today's duty teacher):  李涛 … and five more children
    王校长 (school leader), 刘主任 (admin), 陈老师 (helper teacher and the school's safeguarding lead)
    child-protection contacts: 李主任 (town 儿童主任), 何主席 (妇联), 刘警官 (派出所)
    officials: 孙科长 (education bureau), 周书记 (town government)

Everyone has a Telegram account ``tg-<key>`` (keys of :data:`PEOPLE`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.domain.clock import ManualClock
from bot.domain.enums import Channel, RelationKind
from bot.flows.runner import FlowRunner
from bot.i18n import render
from bot.messages.prompt import Prompt
from bot.services import incident_escalation
from bot.store.models import (
    ChatAccount,
    Child,
    ChildRelation,
    Incident,
    OutboxMessage,
    Person,
    PersonRole,
    School,
    SchoolClass,
)
from bot.store.uow import UnitOfWorkFactory
from tests.support.chat import Chat
from tests.support.school import grant_consent

SCHOOL_PHONE = "+8685185221234"
SCHOOL_PHONE_SHOWN = "0851 8522 1234"

# key: (name, roles, phone)
PEOPLE: dict[str, tuple[str, tuple[str, ...], str | None]] = {
    "wang": ("王老师", ("class_teacher",), "+8613800130739"),
    "yuan": ("袁老师", ("class_teacher",), "+8613900135018"),
    "principal": ("王校长", ("school_leader",), "+8613800136961"),
    "admin": ("刘主任", ("admin",), "+8615000134841"),
    "chen": ("陈老师", ("helper_teacher", "safeguarding_lead"), "+8613800131111"),
    "zhangqiang": ("张强", ("guardian",), "+8613800136956"),
    "father": ("杨杨", ("parent",), "+8613800137614"),
    "mother": ("谢冬梅", ("parent",), "+8613800133241"),
    "yangbing": ("杨兵", ("guardian",), "+8615000137652"),
    "director": ("李主任", ("child_director",), "+8613700001001"),
    "federation": ("何主席", ("womens_federation",), "+8613700001002"),
    "police": ("刘警官", ("police",), "+8613700001003"),
    "bureau": ("孙科长", ("education_bureau",), "+8613700002001"),
    "town": ("周书记", ("town_government",), "+8613700002002"),
}
FAMILY = ("zhangqiang", "father", "mother")  # of 杨秀云
EXTRA_CHILDREN = ("李涛", "朱瑞明", "李淑珍华", "罗婷", "苏小雨", "王梓涵")  # 二年级（1）班


def account(key: str) -> str:
    """The Telegram account id of a person of :data:`PEOPLE`."""
    return f"tg-{key}"


@dataclass(frozen=True)
class World:
    school: int
    class_1: int
    class_2: int
    xiuyun: int  # 杨秀云
    ting: int  # 杨婷
    extra: tuple[int, ...]  # the children of 二年级（1）班
    people: dict[str, int]

    def __getattr__(self, name: str) -> int:
        try:
            return self.people[name]
        except KeyError:
            raise AttributeError(name) from None


def make_world(uow_factory: UnitOfWorkFactory, now: datetime, *, wechat: tuple[str, ...] = (),
               wecom: tuple[str, ...] = ()) -> World:
    """Build the school above.

    People whose key is in ``wechat`` get a WeChat (Official Account) account
    ``wx-<key>`` instead of Telegram, those in ``wecom`` a WeCom account ``wc-<key>``.
    """
    with uow_factory() as uow:
        s = uow.session
        school = School(name="清溪小学", timezone="Asia/Shanghai", locale="zh_Hans", phone=SCHOOL_PHONE)
        s.add(school)
        s.flush()
        people: dict[str, int] = {}
        for key, (name, roles, phone) in PEOPLE.items():
            person = Person(school_id=school.id, name=name, phone=phone, natural_key=f"w:{key}", locale="zh_Hans")
            person.roles = [PersonRole(role=r) for r in roles]
            s.add(person)
            s.flush()
            people[key] = person.id
            if key in wechat:
                s.add(ChatAccount(person_id=person.id, channel=Channel.WECHAT.value, account_id=f"wx-{key}",
                                  bound_at=now))
            elif key in wecom:
                s.add(ChatAccount(person_id=person.id, channel=Channel.WECOM.value, account_id=f"wc-{key}",
                                  bound_at=now))
            else:
                s.add(ChatAccount(person_id=person.id, channel=Channel.TELEGRAM.value, account_id=account(key),
                                  bound_at=now))
        class_1 = SchoolClass(school_id=school.id, grade="一年级", name="一年级（1）班",
                              class_teacher_id=people["wang"])
        class_2 = SchoolClass(school_id=school.id, grade="二年级", name="二年级（1）班",
                              class_teacher_id=people["yuan"])
        s.add_all([class_1, class_2])
        s.flush()

        def child(name: str, no: str, klass: SchoolClass) -> int:
            row = Child(school_id=school.id, class_id=klass.id, name=name, student_no=no, grade=klass.grade)
            s.add(row)
            s.flush()
            grant_consent(s, row.id)  # the school holds the guardians' paper consent
            return row.id

        xiuyun = child("杨秀云", "W001", class_1)
        ting = child("杨婷", "W002", class_1)
        extra = tuple(child(name, f"W1{i:02d}", class_2) for i, name in enumerate(EXTRA_CHILDREN))
        for kind, key, label in (
            (RelationKind.ENTRUSTED_GUARDIAN, "zhangqiang", "外祖父"),
            (RelationKind.FATHER, "father", None),
            (RelationKind.MOTHER, "mother", None),
            (RelationKind.HELPER_TEACHER, "chen", None),
        ):
            s.add(ChildRelation(child_id=xiuyun, kind=kind.value, person_id=people[key], relationship_label=label))
        s.add(ChildRelation(child_id=ting, kind=RelationKind.ENTRUSTED_GUARDIAN.value, person_id=people["yangbing"],
                            relationship_label="叔叔"))
        uow.commit()
        return World(school.id, class_1.id, class_2.id, xiuyun, ting, extra, people)


@dataclass(frozen=True)
class Queued:
    """One outbox row as its recipient will read it (zh_Hans, the school's zone)."""

    key: str
    person_id: int
    text: str
    labels: tuple[str, ...]
    payloads: tuple[str, ...]
    priority: str
    not_before: datetime
    cancelled: bool


def queued(uow_factory: UnitOfWorkFactory, *, to: int | None = None, like: str | None = None) -> list[Queued]:
    """Outbox rows (oldest first), rendered; optionally only those to person ``to`` / with keys ``LIKE like``."""
    with uow_factory() as uow:
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if to is not None:
            query = query.where(OutboxMessage.person_id == to)
        if like is not None:
            query = query.where(OutboxMessage.key.like(like))
        rows = uow.session.scalars(query).all()
        out = []
        for row in rows:
            shown = render(Prompt.from_dict(row.payload), "zh_Hans", "Asia/Shanghai")
            out.append(Queued(row.key, row.person_id, shown.text, tuple(c[0] for c in shown.choices),
                              tuple(c[1] for c in shown.choices), row.priority, row.not_before,
                              row.cancelled_at is not None))
        return out


def report_in_chat(chat: Chat, name: str, description: str, kind: str = "受伤", severity: str = "紧急") -> list:
    """``/incident name`` as staff type it: the kind, the severity, the description, 立即报告; the last reply."""
    chat.send(f"/incident {name}")
    chat.tap(kind)
    if kind != "走失":  # a missing child is always an emergency: no severity question
        chat.tap(severity)
    chat.send(description)
    return chat.tap("立即报告")


def latest_incident(uow_factory: UnitOfWorkFactory) -> int:
    """The id of the incident reported last."""
    with uow_factory() as uow:
        return max(uow.session.scalars(select(Incident.id)).all())


def run_escalations(uow_factory: UnitOfWorkFactory, clock) -> None:
    """The escalator's pass at the clock's time, committed (what a scheduler tick does for incidents)."""
    with uow_factory() as uow:
        incident_escalation.run_escalations(uow, now=clock.now())
        uow.commit()


@pytest.fixture
def world(uow_factory: UnitOfWorkFactory, clock: ManualClock) -> World:
    """The school above, built at the clock's now (served to tests/flows and tests/services by their conftest)."""
    return make_world(uow_factory, clock.now())


@pytest.fixture
def engine(uow_factory: UnitOfWorkFactory, clock: ManualClock) -> FlowRunner:
    """The flow runner over that school's database, with the default settings."""
    return FlowRunner(uow_factory, clock, Settings(database_url="sqlite://"))
