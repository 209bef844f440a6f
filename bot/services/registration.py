"""The registration exercise's aggregate table (农村留守儿童基本情况统计表) and its consistency checks.

One row per class (per school for officials) and a total: the left-behind
children by sex, age bracket, left-behind type, entrusted guardian,
guardianship assessment and schooling, as the form's columns group them.
Each group has a 未填 (not filled in) column, so every group adds up to the
total; :func:`check` verifies that and the cross-column rules below before
anything is exported, and lists what to correct (by student number: the
table goes to superiors, the list stays with the school: an official is told
only how many problems each school has, :data:`SCHOOL_PROBLEMS`, "fewer than 5" under five).

Cross-column rules:

* every group's columns add up to the row's total;
* the class sheet's 留守儿童数 equals the children in the archive;
* a child's schooling fits their age (小学 5–15, 初中 11–18, 学前 up to 7);
* "both parents away" has an entrusted guardian recorded.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from bot.domain.classes import class_sort_key
from bot.domain.figures import MIN_SHOWN
from bot.domain.suppression import Suppressed
from bot.domain.suppression_audit import audit, unhide
from bot.domain.tables import Cell, Sheet
from bot.i18n import gettext
from bot.messages.prompt import N_, msg, nmsg, text
from bot.services.ports import UnitOfWork
from bot.store.models import Child, ChildRelation, School, SchoolClass

UNFILLED = "未填"
AGE_BRACKETS = (("0-5岁", 0, 5), ("6-11岁", 6, 11), ("12-14岁", 12, 14), ("15-17岁", 15, 17))
TYPES = ("父母双方外出", "一方外出、另一方无监护能力")
ASSESSMENTS = ("好", "较好", "一般", "差")
GUARDIANS = ("祖辈", "其他亲属")
GRANDPARENTS = frozenset({"祖父", "祖母", "外祖父", "外祖母", "爷爷", "奶奶", "外公", "外婆", "姥爷", "姥姥"})
SCHOOLING = ("学前", "小学", "初中", "辍学/失学")
SCHOOL_AGES = {"小学": (5, 15), "初中": (11, 18), "学前": (0, 7)}

GROUPS: dict[str, tuple[str, ...]] = {
    "性别": ("男", "女", UNFILLED),
    "年龄": (*(b[0] for b in AGE_BRACKETS), UNFILLED),
    "留守类型": (*TYPES, "其他", UNFILLED),
    "委托监护人": (*GUARDIANS, UNFILLED),
    "监护情况评估": (*ASSESSMENTS, UNFILLED),
    "就学情况": (*SCHOOLING, "其他", UNFILLED),
}
HEADER = ["单位", "留守儿童总数", *[f"{g}:{c}" for g, cols in GROUPS.items() for c in cols], "寄宿"]


@dataclass
class Problem:
    """One thing to correct before the table goes out: a message id and its parameters."""

    message_id: str
    params: dict[str, Any] = field(default_factory=dict)


SCHOOL_PROBLEMS = N_("{school}: {problems} in the children's records. The school must correct them (its admins "
                     "see which); the table is complete after that.")
"""What an official is told of a school's problems: the count, never a child (aggregates only)."""
FEW_PROBLEMS = N_("fewer than 5 problems")
"""An official's count of a school's problems when it is 1–4 (counts under 5 suppressed, issue 9)."""


def _age(birth: date | None, on: date) -> int | None:
    if birth is None:
        return None
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _columns(child: Child, guardian_label: str | None, on: date) -> dict[str, str]:
    """The column of each group this child counts in."""
    age = _age(child.birth_date, on)
    bracket = next((b[0] for b in AGE_BRACKETS if age is not None and b[1] <= age <= b[2]), UNFILLED)
    kind = child.left_behind_type or ""
    left = UNFILLED if not kind else TYPES[0] if "双方" in kind else TYPES[1] if "无监护能力" in kind else "其他"
    guardian = UNFILLED if not guardian_label else "祖辈" if guardian_label in GRANDPARENTS else "其他亲属"
    schooling = child.schooling or ""
    school = UNFILLED if not schooling else next(
        (s for s in SCHOOLING if s in schooling or (s == "辍学/失学" and ("辍学" in schooling or "失学" in schooling))),
        "其他")
    return {
        "性别": child.gender if child.gender in ("男", "女") else UNFILLED,
        "年龄": bracket, "留守类型": left, "委托监护人": guardian,
        "监护情况评估": child.guardianship_assessment if child.guardianship_assessment in ASSESSMENTS else UNFILLED,
        "就学情况": school,
    }


@dataclass
class _Row:
    name: str
    total: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    boarding: int = 0

    def add(self, columns: dict[str, str], boarding: bool) -> None:
        self.total += 1
        self.boarding += int(boarding)
        for group, column in columns.items():
            key = f"{group}:{column}"
            self.counts[key] = self.counts.get(key, 0) + 1

    def merge(self, other: _Row) -> None:
        self.total += other.total
        self.boarding += other.boarding
        for key, n in other.counts.items():
            self.counts[key] = self.counts.get(key, 0) + n

    def values(self) -> list[int]:
        """The counts in the header's order (after 单位)."""
        return [self.total, *[self.counts.get(h, 0) for h in HEADER[2:-1]], self.boarding]

    def cells(self, hidden: Suppressed | None = None, row: int = 0) -> list[Cell]:
        """The row as shown: with ``hidden`` (officials), ``<5`` and ``*`` in place of the hidden counts."""
        def shown(col: int, n: int) -> Cell:
            if hidden is None:
                return n
            return "<5" if (row, col) in hidden.primary else HIDDEN if (row, col) in hidden.complementary else n

        return [self.name, *[shown(col, n) for col, n in enumerate(self.values(), start=1)]]


_log = logging.getLogger(__name__)

HIDDEN = "*"
"""A count hidden so that a small one cannot be worked out by subtraction (explained under the table)."""
HIDDEN_NOTE = "注：<5 表示 1–4 人；* 表示为防止由合计推算而隐去的数。"
WHOLE_NOTE = N_("Note: however the counts of this table were hidden, a count under 5 could be worked out from the "
                "rest, so every count is hidden (*). We are sorry; the schools can give you these figures directly.")
"""Under the table when every count is hidden, in the requester's language (an apology to the reader; the
form's own words, :data:`HIDDEN_NOTE` and the headers, stay Chinese)."""


def _suppressed(rows: list[_Row]) -> Suppressed:
    """Which cells of the data rows and the 合计 (the last row) officials may not see (bot.domain.suppression)."""
    values: dict[Hashable, int] = {(r, c): n for r, row in enumerate(rows) for c, n in enumerate(row.values(), start=1)}
    column = {h: c for c, h in enumerate(HEADER) if c}
    equations: list[list[tuple[Hashable, int]]] = []
    for r in range(len(rows)):
        for group, cols in GROUPS.items():
            equations.append([*[((r, column[f"{group}:{c}"]), 1) for c in cols], ((r, 1), -1)])
    last = len(rows) - 1
    for c in column.values():
        equations.append([*[((r, c), 1) for r in range(last)], ((last, c), -1)])
    # A row's boarders are some of its children; and a shown cell beside a hidden total bounds it (a group of
    # 12 and <5 and another of 16 and * give a * total of 16 back): protect() hides more until none follows
    # sum by sum, and audited() until a reader solving every sum at once in whole numbers learns no <5 either.
    boarders = [((r, column["寄宿"]), (r, 1)) for r in range(len(rows))]
    hidden, leaking = audit(values, equations, MIN_SHOWN, at_most=boarders, whole=True)  # <5 keeps all of 1–4
    if leaking:  # no pattern of hidden cells protects the small counts: the whole table is hidden (fix9h)
        _log.warning("registration table: the disclosure audit ran out of cells to hide; every count hidden")
        return Suppressed(frozenset(), frozenset(values))
    # Hiding one cell per leak, round after round, hid most of a table with many small counts (85 % of the
    # cells of random tables): each * is shown again on trial and stays shown while the audit stays clean
    # (fix9q). The reader solving every sum at once is the rule; "every sum with a hidden cell has two and a *"
    # was protect()'s way to get there sum by sum, and a sum of two <5 the audit passes gives nothing more away.
    return unhide(values, equations, hidden, MIN_SHOWN, at_most=boarders, whole=True)


def _school_rows(uow: UnitOfWork, school_id: int, on: date, problems: list[Problem]) -> list[_Row]:
    s = uow.session
    classes = {k.id: k for k in s.scalars(select(SchoolClass).where(SchoolClass.school_id == school_id))}
    labels = dict(s.execute(
        select(ChildRelation.child_id, ChildRelation.relationship_label)
        .join(Child, Child.id == ChildRelation.child_id)
        .where(Child.school_id == school_id, ChildRelation.kind == "entrusted_guardian")
    ).all())
    has_guardian = set(labels)
    rows: dict[int | None, _Row] = {}
    for child in s.scalars(select(Child).where(Child.school_id == school_id, Child.active.is_(True))
                           .order_by(Child.id)):
        klass = classes.get(child.class_id or 0)
        row = rows.setdefault(child.class_id, _Row(klass.name if klass else "—"))
        row.add(_columns(child, labels.get(child.id), on), bool(child.boarding))
        age = _age(child.birth_date, on)
        for stage, (low, high) in SCHOOL_AGES.items():
            if child.schooling == stage and age is not None and not low <= age <= high:
                problems.append(Problem(N_("{student_no}: schooling {schooling} does not fit the age {age}"),
                                        {"student_no": text(child.student_no), "schooling": text(stage),
                                         "age": age}))
        if child.left_behind_type and "双方" in child.left_behind_type and child.id not in has_guardian:
            problems.append(Problem(N_("{student_no}: both parents are away but no entrusted guardian is "
                                       "recorded"), {"student_no": text(child.student_no)}))
    for class_id, klass in classes.items():
        counted = rows[class_id].total if class_id in rows else 0
        if klass.left_behind_count is not None and klass.left_behind_count != counted:
            listed = klass.left_behind_count  # its own plural form: "says 1 left-behind child, … holds 6"
            problems.append(Problem(N_("{class_name}: the class sheet says {listed}, the archive holds {counted}"),
                                    {"class_name": text(klass.name), "counted": counted,
                                     "listed": nmsg("{count} left-behind child", "{count} left-behind children",
                                                    listed, count=listed)}))
    return sorted(rows.values(), key=lambda r: class_sort_key(r.name))


def _sums(row: _Row, problems: list[Problem]) -> None:
    for group, columns in GROUPS.items():
        added = sum(row.counts.get(f"{group}:{c}", 0) for c in columns)
        if added != row.total:
            problems.append(Problem(N_("{unit}: the {group} columns add up to {added}, not {total}"),
                                    {"unit": text(row.name), "group": text(group), "added": added,
                                     "total": row.total}))


def registration_table(uow: UnitOfWork, school_ids: list[int], on: date, *,
                       official: bool, locale: str = "zh_Hans") -> tuple[Sheet, list[Problem]]:
    """The aggregate table for these schools on day ``on`` and the problems its checks found.

    A school: a row per class and the school's total. Officials: a row per
    school (never per class, even for a town of one school) and the total,
    counts 1–4 shown as ``<5`` and as many further counts hidden (``*``) as it
    takes for none of them to be worked out from the totals, nor any hidden count
    from the totals and the bounds (``<5`` is 1–4; boarders ≤ children), nor narrowed within 1–4 by integer
    programming: :func:`bot.domain.suppression_audit.audited`. ``locale``: the note under a table hidden whole.
    """
    problems: list[Problem] = []
    rows: list[_Row] = []
    for school_id in school_ids:
        school = uow.session.get(School, school_id)
        found: list[Problem] = []
        class_rows = _school_rows(uow, school_id, on, found)
        if len(school_ids) == 1 and not official:
            rows.extend(class_rows)
            problems.extend(found)
            continue
        school_row = _Row(school.name if school else str(school_id))
        for r in class_rows:
            school_row.merge(r)
        rows.append(school_row)
        _sums(school_row, found)
        if official and found:  # aggregates only: how many, never which child (student numbers, family)
            # Counts under 5 are suppressed for officials like every other figure ("2 problems" could name
            # the one family of a small school).
            count = nmsg("{count} problem", "{count} problems", len(found), count=len(found)) \
                if len(found) >= MIN_SHOWN else msg(FEW_PROBLEMS)
            problems.append(Problem(SCHOOL_PROBLEMS, {"school": text(school_row.name), "problems": count}))
        elif not official:
            problems.extend(found)
    total = _Row("合计")
    for r in rows:
        total.merge(r)
        if len(school_ids) == 1 and not official:
            _sums(r, problems)
    # A total that does not add up has a row that does not: for officials, that school's count says so.
    _sums(total, problems if not official else [])
    shown = [*rows, total]
    hidden = _suppressed(shown) if official else None
    table = [r.cells(hidden, i) for i, r in enumerate(shown)]
    note: list[list[Cell]] = [[HIDDEN_NOTE]] if hidden is not None and hidden.complementary else []
    if hidden is not None and len(hidden.complementary) == len(shown) * (len(HEADER) - 1):
        note = [[gettext(locale, WHOLE_NOTE)]]
    sheet = Sheet("留守儿童统计表", HEADER, table, widths=[16, 8, *[9] * (len(HEADER) - 3), 6], preamble=note)
    return sheet, problems
