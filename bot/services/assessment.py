"""Plan 5's assessment: import a term's grades and flags, score the children, rank and reward their carers.

The term file is an ``.xlsx`` or ``.csv`` with a header row holding 学籍号
and 班级排名 (or 排名 / 名次), and optionally 严重违纪 and 三好学生 (是/否,
1/0, ✓); other columns (姓名, 班级 …) are ignored. A row whose 学籍号 matches no
active child of the school, or whose rank is not a whole number, is reported
and skipped. Importing a term again replaces its rows. The rule itself is
:mod:`bot.domain.assessment`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, select

from bot.adapters.roster_files import read_tables
from bot.domain import assessment as rule
from bot.domain.classes import class_sort_key
from bot.domain.enums import RelationKind
from bot.domain.roster_cells import CellError, clean_text, parse_bool, parse_int
from bot.domain.tables import Cell, Sheet
from bot.i18n import gettext
from bot.messages.prompt import N_
from bot.services.ports import UnitOfWork
from bot.store.models import Child, ChildRelation, Person, SchoolClass, TermResult

COLUMNS = {"学籍号": "student_no", "班级排名": "rank", "排名": "rank", "名次": "rank", "班级名次": "rank",
           "严重违纪": "violation", "三好学生": "merit"}


@dataclass
class TermImport:
    """What a term import did: rows stored, and rows skipped with their reason (row number, 学籍号)."""

    imported: int = 0
    unknown: list[tuple[int, str]] = field(default_factory=list)
    bad: list[tuple[int, str]] = field(default_factory=list)
    twice: list[tuple[int, str]] = field(default_factory=list)  # a 学籍号 on more than one row: none of them kept


class TermFileError(ValueError):
    """The file has no header row with 学籍号 and 班级排名."""


def import_term(uow: UnitOfWork, school_id: int, path: Path, term: str, now: datetime) -> TermImport:
    """Store a term's results for the school's children (the caller commits).

    Raises:
        TermFileError: no header row with 学籍号 and a rank column.
        bot.domain.roster.RosterFileError: the file cannot be read.
    """
    children = dict(uow.session.execute(
        select(Child.student_no, Child.id).where(Child.school_id == school_id, Child.active.is_(True))).all())
    outcome = TermImport()
    rows: dict[int, TermResult] = {}
    first_row: dict[str, int] = {}  # 学籍号 → the row it was first on
    found_header = False
    for table in read_tables(path):
        header: dict[int, str] | None = None
        for row_no, cells in table.rows:
            texts = [clean_text(c) or "" for c in cells]
            if header is None:
                named = {i: COLUMNS[t] for i, t in enumerate(texts) if t in COLUMNS}
                if {"student_no", "rank"} <= set(named.values()):
                    header, found_header = named, True
                continue
            values = {name: cells[i] if i < len(cells) else None for i, name in header.items()}
            student_no = clean_text(values.get("student_no")) or ""
            if not student_no:
                continue
            if student_no not in children:
                outcome.unknown.append((row_no, student_no))
                continue
            if student_no in first_row:  # which of two ranks is the child's? Neither is guessed: both refused
                outcome.twice.append((row_no, student_no))
                rows.pop(children[student_no], None)
                continue
            first_row[student_no] = row_no
            try:
                rank = parse_int(values.get("rank"))
                violation = bool(parse_bool(values.get("violation")))
                merit = bool(parse_bool(values.get("merit")))
            except CellError:
                outcome.bad.append((row_no, student_no))
                continue
            if rank is not None and rank < 1:
                outcome.bad.append((row_no, student_no))
                continue
            child_id = children[student_no]
            rows[child_id] = TermResult(child_id=child_id, term=term, class_rank=rank, serious_violation=violation,
                                        merit=merit, imported_at=now)
    if not found_header:
        raise TermFileError(path.name)
    uow.session.execute(delete(TermResult).where(TermResult.term == term,
                                                 TermResult.child_id.in_(list(children.values()) or [0])))
    uow.session.add_all(rows.values())
    uow.session.flush()
    outcome.imported = len(rows)
    return outcome


@dataclass
class ChildLine:
    """A child's term in the assessment."""

    name: str
    class_name: str
    rank: int | None
    previous_rank: int | None
    serious_violation: bool
    merit: bool
    score: int


@dataclass
class Assessment:
    """A term's assessment: the children's scores and the two rankings with their prizes."""

    term: str
    children: list[ChildLine]
    helpers: list[tuple[str, rule.Award]]
    teachers: list[tuple[str, rule.Award]]


def assess(uow: UnitOfWork, school_id: int, term: str) -> Assessment:
    """Score the term's children and rank the helpers and the class teachers (see :mod:`bot.domain.assessment`)."""
    s = uow.session
    rows = s.execute(
        select(TermResult, Child.name, SchoolClass.name, Child.class_id)
        .join(Child, Child.id == TermResult.child_id).outerjoin(SchoolClass, SchoolClass.id == Child.class_id)
        .where(Child.school_id == school_id, Child.active.is_(True), TermResult.term == term)).all()
    previous: dict[int, int | None] = {}
    for child_id, rank in s.execute(
        select(TermResult.child_id, TermResult.class_rank).join(Child, Child.id == TermResult.child_id)
        .where(Child.school_id == school_id, TermResult.term < term).order_by(TermResult.term)
    ).all():
        previous[child_id] = rank  # ordered by term: the last one wins
    scores: dict[int, int] = {}
    lines: list[ChildLine] = []
    class_of: dict[int, int | None] = {}
    for result, name, class_name, class_id in rows:
        term_result = rule.TermResult(result.class_rank, previous.get(result.child_id), result.serious_violation,
                                      result.merit)
        scores[result.child_id] = rule.child_score(term_result)
        class_of[result.child_id] = class_id
        lines.append(ChildLine(name, class_name or "", result.class_rank, term_result.previous_rank,
                               result.serious_violation, result.merit, scores[result.child_id]))
    lines.sort(key=lambda c: (class_sort_key(c.class_name), c.rank or 10**6, c.name))
    paired: dict[int, set[int]] = defaultdict(set)
    for child_id, person_id in s.execute(
        select(ChildRelation.child_id, ChildRelation.person_id).join(Child, Child.id == ChildRelation.child_id)
        .where(Child.school_id == school_id, ChildRelation.person_id.is_not(None),
               ChildRelation.kind.in_([RelationKind.HELPER_TEACHER.value, RelationKind.CARING_PARENT.value]))
    ).all():
        if person_id is not None:
            paired[person_id].add(child_id)
    class_children: dict[int, set[int]] = defaultdict(set)
    for class_id, teacher_id in s.execute(
        select(SchoolClass.id, SchoolClass.class_teacher_id)
        .where(SchoolClass.school_id == school_id, SchoolClass.class_teacher_id.is_not(None))
    ).all():
        if teacher_id is not None:
            class_children[teacher_id].update(c for c, k in class_of.items() if k == class_id)
    helper_awards = rule.awards({p: v for p, v in rule.helper_scores(scores, paired).items()
                                 if paired[p] & scores.keys()})
    teacher_awards = rule.awards(rule.class_teacher_scores(scores, class_children))
    names = dict(s.execute(select(Person.id, Person.name).where(
        Person.id.in_([a.person_id for a in (*helper_awards, *teacher_awards)] or [0]))).all())
    return Assessment(term, lines, [(names.get(a.person_id, ""), a) for a in helper_awards],
                      [(names.get(a.person_id, ""), a) for a in teacher_awards])


def assessment_sheets(result: Assessment, locale: str) -> list[Sheet]:
    """The assessment as a workbook: the two rankings with prizes, then the children's scores."""
    def t(message_id: str) -> str:
        return gettext(locale, message_id)

    yes, no = t(N_("Yes")), t(N_("No"))
    ranking = [t(N_("Place")), t(N_("Name")), t(N_("Score")), t(N_("Prize (yuan)"))]

    def awards(rows: list[tuple[str, rule.Award]]) -> list[list[Cell]]:
        return [[a.place, name, a.score, a.yuan] for name, a in rows]

    children: list[list[Cell]] = [[c.class_name, c.name, c.previous_rank, c.rank, yes if c.serious_violation else no,
                                   yes if c.merit else no, c.score] for c in result.children]
    return [
        Sheet(t(N_("Helpers")), ranking, awards(result.helpers), widths=[6, 12, 8, 10]),
        Sheet(t(N_("Class teachers")), ranking, awards(result.teachers), widths=[6, 12, 8, 10]),
        Sheet(t(N_("Children")), [t(N_("Class")), t(N_("Child")), t(N_("Last term's rank")), t(N_("Rank")),
                                  t(N_("Serious violation")), t(N_("三好学生")), t(N_("Score"))], children,
              widths=[14, 10, 10, 8, 10, 8, 8]),
    ]
