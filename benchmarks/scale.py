"""Fill a database with the sample school copied until it holds N left-behind children.

Used by the benchmarks only. Every copy is the synthetic sample school with a
school number in its name; nothing here is real data. Rows are written with
SQLAlchemy Core ``executemany`` in batches, which is what a bulk import at
city scale would do; the per-row roster importer is measured separately.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openpyxl
from sqlalchemy import Engine, insert, select

from bot.domain.enums import RelationKind, Role
from bot.domain.privacy import ALL_SCOPES, NOTICE_VERSION, ConsentChannel, ConsentDecision
from bot.store.models import (
    Child,
    ChildRelation,
    Consent,
    Person,
    PersonRole,
    School,
    SchoolClass,
)

BATCH = 5_000
CONSENT_AT = datetime(2026, 9, 1, tzinfo=UTC)

STAFF_ROLES = {
    "校领导": Role.SCHOOL_LEADER,
    "管理员": Role.ADMIN,
    "班主任": Role.CLASS_TEACHER,
    "帮扶教师": Role.HELPER_TEACHER,
    "爱心家长": Role.CARING_PARENT,
    "教育主管部门": Role.EDUCATION_BUREAU,
    "镇政府": Role.TOWN_GOVERNMENT,
}


def _sheet(wb: Any, name: str) -> list[tuple[Any, ...]]:
    return [r for r in wb[name].iter_rows(min_row=2, values_only=True) if any(v is not None for v in r)]


def _batches(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), BATCH):
        yield rows[i : i + BATCH]


def populate(engine: Engine, children: int, sample: Path) -> dict[str, int]:
    """Write ``ceil(children / 122)`` copies of the sample school, trimmed to ``children``.

    Args:
        engine: an engine on an empty, migrated database.
        children: how many left-behind children to create.
        sample: path of ``roster-sample.xlsx``.

    Returns:
        Row counts per table written.
    """
    wb = openpyxl.load_workbook(sample, read_only=True)
    kids, staff, classes = _sheet(wb, "留守儿童花名册"), _sheet(wb, "教职工"), _sheet(wb, "班级")
    copies = math.ceil(children / len(kids))
    counts = {"schools": 0, "classes": 0, "children": 0, "people": 0, "relations": 0}
    left = children
    with engine.begin() as conn:
        for s in range(copies):
            school_id = conn.execute(
                insert(School).values(name=f"示例学校{s:05d}", town="清溪镇", timezone="Asia/Shanghai",
                                      locale="zh_Hans")
                .returning(School.id)
            ).scalar_one()
            counts["schools"] += 1
            people: list[dict[str, Any]] = []
            roles: list[tuple[str, str]] = []
            key_of: dict[tuple[str, str], str] = {}
            for name, role, _cls, phone in staff:
                key = f"bench:{s}:staff:{name}:{role}"
                key_of[(name, role)] = key
                people.append({"school_id": school_id, "name": name, "phone": f"+86{phone}", "natural_key": key})
                roles.append((key, STAFF_ROLES[role].value))
            for r in kids[: min(len(kids), left)]:
                for idx, role in ((12, Role.PARENT), (15, Role.PARENT), (19, Role.GUARDIAN)):
                    key = f"bench:{s}:{role.value}:{r[idx]}:{r[idx + 2]}:{r[5] if r[idx + 2] is None else ''}"
                    if (r[idx], key) not in key_of:
                        key_of[(r[idx], key)] = key
                        people.append({"school_id": school_id, "name": r[idx],
                                       "phone": f"+86{r[idx + 2]}" if r[idx + 2] else None, "natural_key": key})
                        roles.append((key, role.value))
            for chunk in _batches(people):
                conn.execute(insert(Person), chunk)
            ids = dict(conn.execute(select(Person.natural_key, Person.id).where(Person.school_id == school_id)).all())
            conn.execute(insert(PersonRole), [{"person_id": ids[k], "role": v} for k, v in roles])
            counts["people"] += len(people)
            class_ids = {}
            for grade, cname, teacher, total, lb in classes:
                class_ids[cname] = conn.execute(
                    insert(SchoolClass).values(school_id=school_id, grade=grade, name=cname,
                                               class_teacher_id=ids[key_of[(teacher, "班主任")]],
                                               pupils_total=total, left_behind_count=lb).returning(SchoolClass.id)
                ).scalar_one()
            counts["classes"] += len(classes)
            rows = kids[: min(len(kids), left)]
            conn.execute(insert(Child), [
                {"school_id": school_id, "class_id": class_ids[r[7]], "name": r[1], "gender": r[2],
                 "birth_date": r[4].date(), "student_no": f"{r[5]}-{s}", "grade": r[6], "active": True,
                 "left_behind_type": r[18]}
                for r in rows
            ])
            child_ids = dict(conn.execute(select(Child.student_no, Child.id).where(Child.school_id == school_id)).all())
            # Every guardian agreed (paper forms): the planners' worst case, and nothing is gated away.
            conn.execute(insert(Consent), [
                {"child_id": cid, "decision": ConsentDecision.GRANTED.value, "at": CONSENT_AT,
                 "channel": ConsentChannel.PAPER.value, "notice_version": NOTICE_VERSION, "scope": list(ALL_SCOPES)}
                for cid in child_ids.values()
            ])
            rels = []
            for r in rows:
                cid = child_ids[f"{r[5]}-{s}"]
                for idx, kind in ((12, RelationKind.FATHER), (15, RelationKind.MOTHER),
                                  (19, RelationKind.ENTRUSTED_GUARDIAN)):
                    role = Role.GUARDIAN if kind is RelationKind.ENTRUSTED_GUARDIAN else Role.PARENT
                    key = f"bench:{s}:{role.value}:{r[idx]}:{r[idx + 2]}:{r[5] if r[idx + 2] is None else ''}"
                    rels.append({"child_id": cid, "kind": kind.value, "person_id": ids[key],
                                 "relationship_label": r[20] if idx == 19 else None})
                rels.append({"child_id": cid, "kind": RelationKind.HELPER_TEACHER.value,
                             "person_id": ids[key_of[(r[27], "帮扶教师")]], "relationship_label": None})
                rels.append({"child_id": cid, "kind": RelationKind.CARING_PARENT.value,
                             "person_id": ids[key_of[(r[28], "爱心家长")]], "relationship_label": None})
            for chunk in _batches(rels):
                conn.execute(insert(ChildRelation), chunk)
            counts["relations"] += len(rels)
            counts["children"] += len(rows)
            left -= len(rows)
    return counts
