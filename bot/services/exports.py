"""Exports in the layouts schools file (issue 9, item 6): the 花名册, talk cards, incident timelines, pairings.

Each builder returns :class:`~bot.domain.tables.Sheet` s (typed cells; the
writer, ``bot.adapters.xlsx_export``, defuses formulas). The 花名册 keeps the
national registration form's Chinese columns in the importer's order, so an
exported roster imports again unchanged; the other exports are in the
requester's language. Times are shown in the school's zone, without a zone
(spreadsheets have none). The registration exercise's aggregate table is in
:mod:`bot.services.registration`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import datetime
from zoneinfo import ZoneInfo

import phonenumbers
from sqlalchemy import ColumnElement, select, true

from bot.domain.classes import class_sort_key
from bot.domain.enums import RelationKind
from bot.domain.roster_layout import CHILD_COLUMNS, ROLE_NAMES
from bot.domain.tables import Cell, Sheet
from bot.i18n import gettext
from bot.messages.labels import RELATION_LABELS, ROLE_LABELS
from bot.messages.prompt import N_
from bot.services.incident_messages import KIND_LABELS, SEVERITY_LABELS
from bot.services.ports import UnitOfWork
from bot.store.models import (
    Child,
    ChildRelation,
    Incident,
    IncidentStep,
    Person,
    School,
    SchoolClass,
    TalkRecord,
)

# One column per field, in the form's order (aliases such as 爱心妈妈 left out, and the optional consent
# column 监护人同意, which the national form does not have: bot.services.consent).
ROSTER_HEADER = ["序号", *dict.fromkeys(
    next(c for c, f in CHILD_COLUMNS.items() if f == field) for field in CHILD_COLUMNS.values() if field != "consent")]
ROLE_WORDS: dict[str, str] = {role.value: word for word, role in reversed(ROLE_NAMES.items())}  # first word per role

RATINGS = {"good": N_("Good"), "fair": N_("Fair"), "poor": N_("Poor")}


def national(e164: str | None) -> str | None:
    """``+8613800137614`` → ``13800137614``, as the form writes phone numbers."""
    if not e164:
        return None
    try:
        number = phonenumbers.parse(e164, "CN")
    except phonenumbers.NumberParseException:
        return e164
    return str(number.national_number) if number.country_code == 86 else e164


def local(value: datetime | None, zone: str) -> datetime | None:
    """An aware UTC time as the school's wall-clock time, without a zone, to the second (for a spreadsheet).

    The seconds are cut, not rounded: a step acknowledged at 10:29:59.9 stays before its 10:30 deadline.
    """
    return value.astimezone(ZoneInfo(zone)).replace(tzinfo=None, microsecond=0) if value is not None else None


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("是" if value else "否")


def _school(uow: UnitOfWork, school_id: int) -> School:
    school = uow.session.get(School, school_id)
    if school is None:
        raise LookupError(school_id)
    return school


def _children(uow: UnitOfWork, school_id: int, scope: ColumnElement[bool] | None = None,
              ) -> list[tuple[Child, str | None]]:
    rows = uow.session.execute(
        select(Child, SchoolClass.name).outerjoin(SchoolClass, SchoolClass.id == Child.class_id)
        .where(Child.school_id == school_id, Child.active.is_(True), true() if scope is None else scope)
        .order_by(Child.id)
    ).all()
    return sorted(((c, n) for c, n in rows), key=lambda r: (class_sort_key(r[1]), r[0].id))


def _relations(uow: UnitOfWork, school_id: int) -> dict[int, dict[str, list[ChildRelation]]]:
    found: dict[int, dict[str, list[ChildRelation]]] = defaultdict(lambda: defaultdict(list))
    for rel in uow.session.scalars(
        select(ChildRelation).join(Child, Child.id == ChildRelation.child_id)
        .where(Child.school_id == school_id).order_by(ChildRelation.id)
    ):
        found[rel.child_id][rel.kind].append(rel)
    return found


def _people(uow: UnitOfWork, ids: set[int]) -> dict[int, Person]:
    if not ids:
        return {}
    return {p.id: p for p in uow.session.scalars(select(Person).where(Person.id.in_(list(ids))))}


def roster_sheets(uow: UnitOfWork, school_id: int, scope: ColumnElement[bool] | None = None) -> list[Sheet]:
    """The 花名册 as the importer reads it: children, staff, classes and the school sheet.

    ``scope`` (a condition on :class:`Child`, None for the whole school) keeps the children whose card the
    requester sees (``bot.services.export_files``); the class sheet then keeps their classes only.
    """
    school = _school(uow, school_id)
    children = _children(uow, school_id, scope)
    relations = _relations(uow, school_id)
    people = _people(uow, {r.person_id for kinds in relations.values() for rels in kinds.values() for r in rels
                           if r.person_id is not None})
    names = {c.id: c.name for c, _n in _children(uow, school_id)}  # a buddy is named as the card names them

    def person(child_id: int, kind: RelationKind) -> tuple[Person | None, ChildRelation | None]:
        for rel in relations.get(child_id, {}).get(kind.value, []):
            if rel.person_id in people:
                return people[rel.person_id], rel
        return None, None

    rows: list[list[Cell]] = []
    for n, (c, class_name) in enumerate(children, start=1):
        father, _ = person(c.id, RelationKind.FATHER)
        mother, _ = person(c.id, RelationKind.MOTHER)
        guardian, grel = person(c.id, RelationKind.ENTRUSTED_GUARDIAN)
        helper, _ = person(c.id, RelationKind.HELPER_TEACHER)
        caring, _ = person(c.id, RelationKind.CARING_PARENT)
        buddy = next((names.get(r.related_child_id or 0) for r in relations.get(c.id, {}).get(
            RelationKind.STUDY_BUDDY.value, []) if r.related_child_id in names), None)
        values: dict[str, Cell] = {
            "name": c.name, "gender": c.gender, "ethnicity": c.ethnicity, "birth_date": c.birth_date,
            "student_no": c.student_no, "grade": c.grade, "class_name": class_name, "schooling": c.schooling,
            "boarding": _yes_no(c.boarding), "health": c.health, "address": c.address,
            "father_name": father.name if father else None,
            "father_work_place": father.work_place if father else None,
            "father_phone": national(father.phone) if father else None,
            "mother_name": mother.name if mother else None,
            "mother_work_place": mother.work_place if mother else None,
            "mother_phone": national(mother.phone) if mother else None,
            "left_behind_type": c.left_behind_type,
            "guardian_name": guardian.name if guardian else None,
            "guardian_relationship": grel.relationship_label if grel else None,
            "guardian_phone": national(guardian.phone) if guardian else None,
            "guardian_age": guardian.age if guardian else None,
            "guardian_health": guardian.health if guardian else None,
            "guardianship_assessment": c.guardianship_assessment, "family_income": c.family_income,
            "aid": c.aid, "helper_teacher": helper.name if helper else None,
            "caring_parent": caring.name if caring else None, "study_buddy": buddy, "note": c.note,
        }
        rows.append([n, *[values.get(CHILD_COLUMNS[col]) for col in ROSTER_HEADER[1:]]])
    classes = sorted(uow.session.scalars(select(SchoolClass).where(SchoolClass.school_id == school_id)),
                     key=lambda k: class_sort_key(k.name))
    if scope is not None:
        shown = {c.class_id for c, _n in children}
        classes = [k for k in classes if k.id in shown]
    staff_ids = {k.class_teacher_id for k in classes if k.class_teacher_id}
    class_of: dict[int, list[str]] = defaultdict(list)
    for k in classes:
        if k.class_teacher_id:
            class_of[k.class_teacher_id].append(k.name)
    staff_rows: list[list[Cell]] = []
    for p in uow.session.scalars(select(Person).where(Person.school_id == school_id).order_by(Person.id)):
        for role in sorted(p.role_set & set(ROLE_WORDS)):
            cls = ", ".join(class_of.get(p.id, [])) if role == "class_teacher" else None
            staff_rows.append([p.name, ROLE_WORDS[role], cls or None, national(p.phone)])
    teachers = _people(uow, {i for i in staff_ids if i})
    school_rows: list[list[Cell]] = [["学校名称", school.name], ["所属乡镇", school.town], ["时区", school.timezone]]
    if school.phone:
        school_rows.append(["学校电话", national(school.phone)])
    return [
        Sheet("留守儿童花名册", ROSTER_HEADER, rows),
        Sheet("教职工", ["姓名", "角色", "班级", "手机号"], staff_rows),
        Sheet("班级", ["年级", "班级", "班主任", "学生总数", "留守儿童数"], [
            [k.grade, k.name, teachers[k.class_teacher_id].name if k.class_teacher_id in teachers else None,
             k.pupils_total, k.left_behind_count] for k in classes]),
        Sheet("学校", [], school_rows),
    ]


def pairing_sheet(uow: UnitOfWork, school_id: int, locale: str, scope: ColumnElement[bool] | None = None) -> Sheet:
    """The pairing list (结对名单): each child's helper teacher, volunteer, study buddy and guardian.

    ``scope``: as :func:`roster_sheets`. A study buddy outside it is still named (the pairing is the child's).
    """
    def t(message_id: str) -> str:
        return gettext(locale, message_id)

    children = _children(uow, school_id, scope)
    relations = _relations(uow, school_id)
    people = _people(uow, {r.person_id for kinds in relations.values() for rels in kinds.values() for r in rels
                           if r.person_id is not None})
    names = {c.id: c.name for c, _n in _children(uow, school_id)}
    kinds = (RelationKind.HELPER_TEACHER, RelationKind.CARING_PARENT, RelationKind.STUDY_BUDDY,
             RelationKind.ENTRUSTED_GUARDIAN)
    rows: list[list[Cell]] = []
    for c, class_name in children:
        cells: list[Cell] = [class_name, c.name, c.student_no]
        missing = []
        for kind in kinds:
            rels = relations.get(c.id, {}).get(kind.value, [])
            who = [names.get(r.related_child_id or 0) if kind is RelationKind.STUDY_BUDDY
                   else (people[r.person_id].name if r.person_id in people else None) for r in rels]
            shown = "、".join(w for w in who if w)
            cells.append(shown or None)
            if not shown:
                missing.append(t(RELATION_LABELS[kind.value]))
        cells.append("、".join(missing) or None)
        rows.append(cells)
    header = [t(N_("Class")), t(N_("Child")), t(N_("Student number")), t(RELATION_LABELS["helper_teacher"]),
              t(RELATION_LABELS["caring_parent"]), t(RELATION_LABELS["study_buddy"]),
              t(RELATION_LABELS["entrusted_guardian"]), t(N_("Pairing missing"))]
    return Sheet(t(N_("Pairings")), header, rows)


def has_talks(uow: UnitOfWork, school_id: int, scope: ColumnElement[bool] | None = None) -> bool:
    """Whether any talk is recorded about a child of the school (in ``scope``): the talk cards are empty otherwise."""
    return uow.session.scalar(select(TalkRecord.id).join(Child, Child.id == TalkRecord.child_id)
                              .where(Child.school_id == school_id, Child.active.is_(True),
                                     true() if scope is None else scope).limit(1)) is not None


def talk_card_sheets(uow: UnitOfWork, school_id: int, locale: str,
                     scope: ColumnElement[bool] | None = None) -> list[Sheet]:
    """The talk record cards (谈心记录卡): one sheet per child (in ``scope``), its particulars above its talks."""
    def t(message_id: str) -> str:
        return gettext(locale, message_id)

    zone = _school(uow, school_id).timezone
    talks: dict[int, list[TalkRecord]] = defaultdict(list)
    for talk in uow.session.scalars(
        select(TalkRecord).join(Child, Child.id == TalkRecord.child_id)
        .where(Child.school_id == school_id).order_by(TalkRecord.talked_at, TalkRecord.id)
    ):
        talks[talk.child_id].append(talk)
    authors = _people(uow, {r.author_id for rows in talks.values() for r in rows})
    header = [t(N_("Date")), t(N_("Talked with by")), t(N_("Kind")), t(N_("Mood")), t(N_("Study")),
              t(N_("Daily life")), t(N_("Safety concern")), t(N_("Note")), t(N_("Follow-up needed"))]
    kinds = {"class_teacher_monthly": t(N_("monthly (class teacher)")),
             "volunteer_weekly": t(N_("weekly (helper or volunteer)"))}
    yes, no = t(N_("Yes")), t(N_("No"))
    sheets = []
    for c, class_name in _children(uow, school_id, scope):
        rows: list[list[Cell]] = [[
            local(r.talked_at, zone), authors[r.author_id].name if r.author_id in authors else None,
            kinds.get(r.kind, r.kind), *[t(RATINGS[v]) if v in RATINGS else v for v in (r.mood, r.study,
                                                                                       r.daily_life)],
            yes if r.safety_concern else no, r.note, yes if r.follow_up else no,
        ] for r in talks.get(c.id, [])]
        preamble: list[list[Cell]] = [[t(N_("Talk record card")), c.name], [t(N_("Class")), class_name],
                                      [t(N_("Student number")), c.student_no],
                                      [t(N_("Left-behind type")), c.left_behind_type]]
        sheets.append(Sheet(f"{class_name or ''} {c.name}".strip(), header, rows,
                            widths=[17, 12, 16, 8, 8, 8, 10, 40, 10], preamble=preamble))
    return sheets


def incident_sheet(uow: UnitOfWork, school_id: int, locale: str, incident_ids: Collection[int] | None = None) -> Sheet:
    """Incident timelines: per incident and person, due by / sent at / acknowledged at, and whether on time.

    ``incident_ids``: only these incidents (those a safeguarding lead is in), None for all of the school's.
    """
    def t(message_id: str) -> str:
        return gettext(locale, message_id)

    zone = _school(uow, school_id).timezone
    rows: list[list[Cell]] = []
    incidents = uow.session.execute(
        select(Incident, Child.name, SchoolClass.name).join(Child, Child.id == Incident.child_id)
        .outerjoin(SchoolClass, SchoolClass.id == Child.class_id)
        .where(Child.school_id == school_id,
               true() if incident_ids is None else Incident.id.in_(list(incident_ids) or [-1]))
        .order_by(Incident.reported_at, Incident.id)
    ).all()
    steps: dict[int, list[IncidentStep]] = defaultdict(list)
    for step in uow.session.scalars(select(IncidentStep).where(
            IncidentStep.incident_id.in_([i.id for i, _c, _k in incidents] or [0]))
            .order_by(IncidentStep.step_no, IncidentStep.id)):
        steps[step.incident_id].append(step)
    people = _people(uow, {s.person_id for rows_ in steps.values() for s in rows_ if s.person_id is not None}
                     | {i.reporter_id for i, _c, _k in incidents})
    yes, no = t(N_("Yes")), t(N_("No"))
    for incident, child, class_name in incidents:
        head: list[Cell] = [incident.id, child, class_name, t(KIND_LABELS.get(incident.kind, incident.kind)),
                            t(SEVERITY_LABELS.get(incident.severity, incident.severity)),
                            local(incident.reported_at, zone),
                            people[incident.reporter_id].name if incident.reporter_id in people else None,
                            t(N_("closed")) if incident.closed_at else t(N_("open")), local(incident.closed_at, zone)]
        if not steps.get(incident.id):
            rows.append([*head, None, None, None, None, None, None, None])
        for step in steps.get(incident.id, []):
            person = people.get(step.person_id) if step.person_id is not None else None  # None: child erased
            roles = sorted(person.role_set) if person else []
            on_time: str | None = None  # still running, or left out of the chain
            if step.excluded_at is None and step.acknowledged_at is not None:
                on_time = yes if step.acknowledged_at <= step.due_by else no
            elif step.excluded_at is None and step.missed_at is not None:
                on_time = no
            rows.append([*head, step.step_no, person.name if person else None,
                         "、".join(t(ROLE_LABELS[r]) for r in roles if r in ROLE_LABELS) or None,
                         local(step.due_by, zone), local(step.sent_at, zone), local(step.acknowledged_at, zone),
                         on_time])
    header = [t(N_("Incident")), t(N_("Child")), t(N_("Class")), t(N_("Kind")), t(N_("Severity")),
              t(N_("Reported at")), t(N_("Reported by")), t(N_("Status")), t(N_("Closed at")), t(N_("Step")),
              t(N_("Person")), t(N_("Role")), t(N_("Due by")), t(N_("Sent at")), t(N_("Acknowledged at")),
              t(N_("On time"))]
    return Sheet(t(N_("Incidents")), header, rows, widths=[8, 10, 14, 10, 10, 17, 10, 8, 17, 6, 10, 14, 17, 17,
                                                           17, 8])
