"""A small county for the figures tests: three schools in two towns, with a month of records.

::

    清溪镇 (town)
      清溪小学: 一年级（1）班 (王老师, 40 pupils): 6 children, one card without an address
                二年级（1）班 (李老师, 30 pupils): 3 children, one of them left (inactive), one 辍学
                陈老师 (helper) + 赵妈妈 (caring parent) paired with 小一 and 小二; 小二 has a study buddy
                周校长 (school leader), 张奶奶 (guardian of 小一), 刘镇长 (town government)
      河口小学: 一年级（1）班 (马老师, 35 pupils): 7 children
    石门镇 (town)
      石门小学: 一年级（1）班 (钱老师, 20 pupils): 2 children; 孙科长 (education bureau)

Everyone has a Telegram account ``tg-<person id>`` bound on 2026-11-01. In
November 2026: 王老师 talked with 4 of her 6 children, 陈老师 with 小一 in two
weeks; 5 check-ins were sent to 张奶奶's family, 4 answered; one incident whose
guardian acknowledged in 10 minutes, the mother after 90 minutes (late) and the
bureau never; one task done in 2 days, one left open for 12 days.
Every name and number here is invented.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from bot.domain.enums import RelationKind, Role, TalkKind, TaskKind
from bot.services.ports import UowFactory
from bot.store.models import (
    Checkin,
    Child,
    ChildRelation,
    Incident,
    IncidentStep,
    School,
    SchoolClass,
    TalkRecord,
    Task,
)
from tests.support.school import SchoolBuilder

BOUND = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)


@dataclass(frozen=True)
class County:
    """Ids of :func:`county`."""

    qingxi: int
    hekou: int
    shimen: int
    leader: int  # 周校长, 清溪小学
    wang: int  # class teacher 一年级（1）班
    li: int  # class teacher 二年级（1）班
    chen: int  # helper teacher
    grandma: int  # guardian of 小一
    town: int  # 刘镇长, town government of 清溪镇
    bureau: int  # 孙科长, education bureau
    xiaoyi: int
    xiaoer: int
    zhao: int = 0  # caring parent (赵妈妈), paired with 小一 and 小二 as 陈老师 is


def _child(b: SchoolBuilder, name: str, no: str, klass: int, *, school: int | None = None, complete: bool = True,
           active: bool = True, schooling: str = "小学", aid: str | None = None) -> int:
    child_id = b.child(name, no, klass, school=school, active=active)
    row = b.s.get(Child, child_id)
    assert row is not None
    row.gender, row.ethnicity, row.birth_date, row.schooling = "女", "汉族", date(2019, 5, 1), schooling
    row.address = "示例县清溪镇青山村1组" if complete else None
    row.left_behind_type, row.guardianship_assessment, row.aid = "父母双方外出", "较好", aid
    return child_id


def county(uow_factory: UowFactory) -> County:
    with uow_factory() as uow:
        s = uow.session
        b = SchoolBuilder(s, "清溪小学")
        qingxi = b.school_id
        hekou = b.school("河口小学")
        shimen = b.school("石门小学")
        for school_id, town in ((qingxi, "清溪镇"), (hekou, "清溪镇"), (shimen, "石门镇")):
            row = s.get(School, school_id)
            assert row is not None
            row.town = town
        leader = b.person("周校长", Role.SCHOOL_LEADER)
        wang = b.person("王老师", Role.CLASS_TEACHER)
        li = b.person("李老师", Role.CLASS_TEACHER)
        chen = b.person("陈老师", Role.HELPER_TEACHER)
        zhao = b.person("赵妈妈", Role.CARING_PARENT)
        grandma = b.person("张奶奶", Role.GUARDIAN)
        mother = b.person("张妈妈", Role.PARENT)
        town = b.person("刘镇长", Role.TOWN_GOVERNMENT)
        ma = b.person("马老师", Role.CLASS_TEACHER, school=hekou)
        qian = b.person("钱老师", Role.CLASS_TEACHER, school=shimen)
        bureau = b.person("孙科长", Role.EDUCATION_BUREAU, school=shimen)
        c1 = b.klass("一年级（1）班", teacher=wang)
        c2 = b.klass("二年级（1）班", teacher=li)
        c3 = b.klass("一年级（1）班", teacher=ma, school=hekou)
        c4 = b.klass("一年级（1）班", teacher=qian, school=shimen)
        for class_id, pupils in ((c1, 40), (c2, 30), (c3, 35), (c4, 20)):
            row_c = s.get(SchoolClass, class_id)
            assert row_c is not None
            row_c.pupils_total = pupils
        first = [_child(b, f"小{n}", f"Q1{i}", c1, complete=i != 5, aid="享受低保" if i < 2 else None)
                 for i, n in enumerate("一二三四五六")]
        _child(b, "大一", "Q21", c2)
        _child(b, "大二", "Q22", c2, schooling="辍学")
        _child(b, "大三", "Q23", c2, active=False)
        for i in range(7):
            _child(b, f"河{i}", f"H{i}", c3, school=hekou)
        for i in range(2):
            _child(b, f"石{i}", f"S{i}", c4, school=shimen)
        xiaoyi, xiaoer = first[0], first[1]
        for child in (xiaoyi, xiaoer):
            b.relate(child, RelationKind.HELPER_TEACHER, chen)
            b.relate(child, RelationKind.CARING_PARENT, zhao)
        s.add(ChildRelation(child_id=xiaoer, kind=RelationKind.STUDY_BUDDY.value, related_child_id=first[2]))
        b.relate(xiaoyi, RelationKind.ENTRUSTED_GUARDIAN, grandma)
        b.relate(xiaoyi, RelationKind.MOTHER, mother)
        for person in (leader, wang, li, chen, zhao, grandma, town, ma, qian, bureau):
            b.account(person, f"tg-{person}", bound_at=BOUND)
        nov = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)
        for i, child in enumerate(first[:4]):
            s.add(TalkRecord(child_id=child, author_id=wang, kind=TalkKind.CLASS_TEACHER_MONTHLY.value,
                             period="2026-11", talked_at=nov + timedelta(days=i)))
        for period in ("2026-W45", "2026-W47"):
            s.add(TalkRecord(child_id=xiaoyi, author_id=chen, kind=TalkKind.VOLUNTEER_WEEKLY.value,
                             period=period, talked_at=nov))
        for week in range(5):
            sent = datetime(2026, 11, 2, 10, 0, tzinfo=UTC) + timedelta(days=6 * week)
            s.add(Checkin(child_id=xiaoyi, guardian_id=grandma, period=f"2026-W{45 + week}", sent_at=sent,
                          reminder_due_at=sent + timedelta(days=1),
                          answered_at=sent + timedelta(hours=2) if week else None, answer="good" if week else None))
        reported = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
        incident = Incident(child_id=xiaoyi, reporter_id=wang, kind="injury", severity="emergency",
                            description="摔伤", reported_at=reported, policy={})
        s.add(incident)
        s.flush()
        for step, person, due, acked in ((1, grandma, 30, 10), (2, mother, 60, 90), (3, bureau, 120, None)):
            s.add(IncidentStep(incident_id=incident.id, step_no=step, person_id=person, send_by=reported,
                               due_by=reported + timedelta(minutes=due), sent_at=reported,
                               acknowledged_at=reported + timedelta(minutes=acked) if acked else None))
        s.add(Task(key="t1", kind=TaskKind.HELP_REQUEST.value, child_id=xiaoyi, assignee_id=wang,
                   created_at=nov, done_at=nov + timedelta(days=2)))
        s.add(Task(key="t2", kind=TaskKind.PHONE_GUARDIAN.value, child_id=xiaoer, assignee_id=wang,
                   created_at=nov + timedelta(days=5)))
        uow.commit()
        return County(qingxi, hekou, shimen, leader, wang, li, chen, grandma, town, bureau, xiaoyi, xiaoer, zhao)
