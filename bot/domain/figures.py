"""Figures for superiors: counts and rates, the levels they roll up to, small counts suppressed.

The plans' inspections ask for rates (建档率 100%, talk completion, the
left-behind share …) per class, school, town and county. A rate here is a
numerator over a denominator, kept as two counts so levels add up exactly
(the school's rate is never an average of its classes' rates).

Officials see aggregates only, with counts under 5 suppressed (issue 9,
item 8; DESIGN.md, Privacy). The rule protects children, so it hides what
could point at a child, and no more:

* A count of children with a trait — left-behind, aided, on the dropout
  watch, in an incident — from 1 to 4 (:data:`MIN_SHOWN`) is suppressed: a
  town with three dropouts must not point at three families. A share of such
  children (the left-behind share, the incident chain's steps) is suppressed
  too when its numerator or the rest of its denominator is 1–4, since the
  rate and its denominator would give the count away.
* A rate of work done for the children (cards filed, talks, check-ins
  answered, tasks, pairings, programme items) counts acts, not children with
  a trait: "1 of 122 talks done" identifies nobody, and hiding it hid the
  very figure the official asks for. It is shown whenever its total is 5 or
  more; it is suppressed when its total is 1–4 (a rate over so few is about
  single children), or when the unit's left-behind children are 1–4 (the
  totals are multiples of them and would give that count away).
* A work rate shown whose numerator or complement (total − numerator) is
  1–4 gives that count away: "121/122 (99.2%)" says exactly one child was
  missed. So it reads as a band instead of a figure (:func:`rate_band`):
  complement 1–4 → ``≥X%`` with X = floor(100·(n−4)/n) ("fewer than 5 not
  done", as ``<5`` says of a count), numerator 1–4 → ``≤Y%`` with
  Y = ceil(100·4/n); over a total under :data:`BAND_MIN_TOTAL` a band says
  next to nothing, and the rate reads ``*``. The numerator beside a band stays
  hidden (``<5``, or ``*`` for the complement's), and a band is complemented
  across the rows like any hidden cell (:mod:`bot.domain.figures_complement`).

Zero is shown: "nobody" identifies nobody.

Aid (资助) is shown twice, labelled, because the two figures answer different
questions: the roster's 救助帮扶 column (children the registration form says
receive aid, :attr:`UnitFigures.aided`) and the aid records entered in the bot
or imported for the period (children given aid, and the cash given). For
officials the children given aid are a count of children with a trait (1–4
suppressed), and the cash total is hidden while they, or the children given
cash, are 1–4: a sum over so few is about single children (:func:`shown_aid`).

A figure hidden in one row of a group must not be recoverable from the group's total and the other rows:
:mod:`bot.domain.figures_complement` hides one more cell of that sum (complementary suppression).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

MIN_SHOWN = 5
"""Counts below this (and above zero) are suppressed for officials."""

BAND_MIN_TOTAL = 10
"""A work rate over fewer than this many, with 1–4 done or not done, reads ``*`` rather than a band (module doc)."""

TASK_DAYS_IN_TIME = 7
"""A task without its own due date counts as closed in time when done within this many days."""

STEP_DEADLINES = {1: timedelta(minutes=30), 2: timedelta(hours=1), 3: timedelta(hours=2)}
"""The plans' contact chain: guardian 30 min, parents 1 h, bureau and town 2 h (for the labels)."""


class Level(StrEnum):
    """Where a row of figures sits: a class, a school, a town (乡镇), the county (every school here)."""

    CLASS = "class"
    SCHOOL = "school"
    TOWN = "town"
    COUNTY = "county"


class PeriodKind(StrEnum):
    """The span a report covers."""

    MONTH = "month"
    SEMESTER = "semester"
    YEAR = "year"
    RANGE = "range"


@dataclass(frozen=True)
class ReportPeriod:
    """The dates a report covers, inclusive, in school time.

    Attributes:
        kind: month, semester, school year or a typed range.
        first, last: the first and last day.
    """

    kind: PeriodKind
    first: date
    last: date

    @property
    def label(self) -> str:
        """``2026-11`` for a month, else ``2026-09-01~2027-01-20``."""
        if self.kind is PeriodKind.MONTH:
            return f"{self.first:%Y-%m}"
        return f"{self.first.isoformat()}~{self.last.isoformat()}"

    def months(self, until: date) -> list[str]:
        """The calendar months (``"2026-11"``) the period touches, up to ``until``."""
        out: list[str] = []
        day = self.first.replace(day=1)
        end = min(self.last, until)
        while day <= end:
            out.append(f"{day:%Y-%m}")
            day = (day + timedelta(days=32)).replace(day=1)
        return out

    def weeks(self, until: date) -> list[str]:
        """The ISO weeks (``"2026-W49"``) that overlap the period and have begun by ``until``.

        A week running over the period's edge is listed by the periods on both
        sides; its duties count in the one holding its Sunday only, done or
        missed (:func:`bot.domain.talk_duties.counts_in`).
        """
        out: list[str] = []
        day = self.first - timedelta(days=self.first.weekday())
        end = min(self.last, until)
        while day <= end:
            year, week, _ = day.isocalendar()
            out.append(f"{year}-W{week:02d}")
            day += timedelta(days=7)
        return out


def month_period(year: int, month: int) -> ReportPeriod:
    """The calendar month ``year-month``."""
    first = date(year, month, 1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return ReportPeriod(PeriodKind.MONTH, first, last)


def parse_range(value: str) -> ReportPeriod | None:
    """``2026-11`` (a month) or ``2026-09-01~2027-01-20`` (a range); None for anything else."""
    value = value.strip().replace("～", "~").replace("至", "~")
    try:
        if "~" in value:
            a, _, b = value.partition("~")
            first, last = date.fromisoformat(a.strip()), date.fromisoformat(b.strip())
            return ReportPeriod(PeriodKind.RANGE, first, last) if first <= last else None
        if len(value) == 7 and value[4] == "-":
            return month_period(int(value[:4]), int(value[5:]))
    except (ValueError, OverflowError):  # 9999-12: no month after it
        return None
    return None


@dataclass(frozen=True)
class Rate:
    """``done`` of ``total`` (a completion, a share)."""

    done: int = 0
    total: int = 0

    def __add__(self, other: Rate) -> Rate:
        return Rate(self.done + other.done, self.total + other.total)

    @property
    def percent(self) -> float | None:
        """0–100 with one decimal, or None when nothing was due."""
        if self.total <= 0:
            return None
        return round(100.0 * self.done / self.total, 1)


class Withheld(int):
    """A count hidden from officials so that a small one beside it cannot be worked out by subtraction.

    Exact for the sums (:mod:`bot.domain.figures_complement`); :func:`suppressed_count` hides it. A sum with
    a hidden count is hidden too (the dashboard's talks missed, monthly plus weekly).
    """

    def __add__(self, other: int) -> Withheld:
        return Withheld(int(self) + int(other))

    __radd__ = __add__


class WithheldRate(Rate):
    """A rate hidden from officials by complementary suppression (:class:`Withheld`)."""


def hidden_mark(count: int) -> str:
    """How a hidden count reads: ``<5``, or ``*`` for a count of 0 or of 5 or more hidden beside a small one."""
    star = getattr(count, "star", False)  # a small count the disclosure audit had to show as * (figures_complement)
    return "*" if isinstance(count, Withheld) and (star or not 0 < count < MIN_SHOWN) else "<5"


def hidden_rate_mark(rate: Rate, children: int | None = None) -> str:
    """How a hidden rate reads: ``(<5)`` when its own figures are small (:func:`suppressed_rate`), else ``*``.

    A rate hidden only so that a small count beside it (another row's, or its unit's talks missed) cannot be
    worked out is not "under 5": ``(<5)`` there would mislead, so it reads ``*`` like a withheld count.
    """
    if children is not None:
        own = 0 < rate.total < MIN_SHOWN or 0 < int(children) < MIN_SHOWN
    else:
        own = 0 < rate.done < MIN_SHOWN or 0 < rate.total - rate.done < MIN_SHOWN
    starred = getattr(rate, "star", False) or getattr(children, "star", False)  # figures_complement.Starred
    return "(<5)" if own and not starred else "*"


def suppressed_count(count: int, official: bool) -> int | None:
    """The count as an official may see it: None (shown as "<5") when it is 1–4 or withheld."""
    if official and (0 < count < MIN_SHOWN or isinstance(count, Withheld)):
        return None
    return count


def small_done(rate: Rate, official: bool) -> bool:
    """Whether an official sees the rate's numerator as "<5" (1–4 done): its percentage, which gives it away, too."""
    return official and 0 < rate.done < MIN_SHOWN


def rate_band(rate: Rate, official: bool) -> str | None:
    """The band an official reads instead of a work rate's figure, or None when the figure itself is shown.

    When the numerator or its complement (total − numerator) is 1–4, the
    percentage and its total would give that count away (121/122 is 99.2 %: one
    child missed), so the rate reads as a band (module doc):

    * complement 1–4: ``≥X%``, X = floor(100·(n−4)/n) — fewer than 5 not done (122 → ``≥96%``);
    * numerator 1–4: ``≤Y%``, Y = ceil(100·4/n) — fewer than 5 done (122 → ``≤4%``);
    * either, over a total under :data:`BAND_MIN_TOTAL`: ``*`` (over 8, ``≥50%`` would say little more).

    Zero done and all done are shown as they are: they identify nobody.
    """
    bound = band_bound(rate, official)
    if bound is None:
        return None
    if rate.total < BAND_MIN_TOTAL:
        return "*"
    return f"≥{bound}%" if 0 < rate.total - rate.done < MIN_SHOWN else f"≤{bound}%"


def band_bound(rate: Rate, official: bool) -> int | None:
    """The percentage bound of :func:`rate_band`'s band (96 for ``≥96%``), or None when no band applies.

    Also given (unused) for a total under :data:`BAND_MIN_TOTAL`, whose band reads ``*``.
    """
    n, done = rate.total, rate.done
    small = MIN_SHOWN - 1
    if not official or n <= 0 or not (0 < done < MIN_SHOWN or 0 < n - done < MIN_SHOWN):
        return None
    if 0 < n - done < MIN_SHOWN:
        return 100 * (n - small) // n
    return -(-100 * small // n)


def suppressed_rate(rate: Rate, official: bool, children: int | None = None) -> Rate | None:
    """The rate as an official may see it (the module's rule), None when it is suppressed.

    Args:
        rate: the rate.
        official: whether the reader is an official (others see every rate).
        children: for a rate of work done for the unit's children, the unit's
            left-behind children (the work rule: shown when its total is 5 or
            more and those children are not 1–4); None for a share of children
            with a trait (suppressed when its count or the rest of its total is 1–4).
    """
    if not official:
        return rate
    if isinstance(rate, WithheldRate) or isinstance(children, Withheld):
        return None
    if children is not None:
        if 0 < rate.total < MIN_SHOWN or 0 < children < MIN_SHOWN:
            return None
        return rate
    if 0 < rate.done < MIN_SHOWN or 0 < rate.total - rate.done < MIN_SHOWN:
        return None
    return rate


@dataclass
class UnitFigures:
    """The figures of one class, school, town or the county.

    Attributes:
        level, name: where the row sits (a class name, a school name, a town …).
        pupils: pupils on roll (the class sheet's 学生总数).
        left_behind: active left-behind children in the archive.
        share: left-behind children of the pupils on roll.
        filed: children whose card (一人一档) holds every registration-form field.
        monthly_talks, weekly_talks: talks recorded of talks owed (child × month / week).
        monthly_missed, weekly_missed: of those owed, the months / weeks over without the talk (``/due``'s
            overdue, counted in the period as the rates count them).
        checkins: check-ins answered of those sent.
        steps: per chain step (1 guardian, 2 parents, 3 bureau and town): acknowledged by the deadline of
            those due.
        tasks: tasks closed in time of the tasks due.
        paired: children with a helper teacher, a caring parent and a study buddy.
        programme: programme reminders answered "done" of those sent.
        aided: children whose roster row (the 救助帮扶 column) records aid.
        aid_children: children with an aid record (entered in chat or imported) dated in the period.
        aid_cash_children, aid_cash: of those, the children given cash, and the cash total in yuan.
        dropout_watch: children who left or whose schooling is flagged (控辍保学).
        incidents: incidents reported in the period.
        cash_withheld: the cash total is hidden from officials beside a small one (complementary suppression).
    """

    level: Level
    name: str
    pupils: int = 0
    left_behind: int = 0
    share: Rate = field(default_factory=Rate)
    filed: Rate = field(default_factory=Rate)
    monthly_talks: Rate = field(default_factory=Rate)
    weekly_talks: Rate = field(default_factory=Rate)
    monthly_missed: int = 0
    weekly_missed: int = 0
    checkins: Rate = field(default_factory=Rate)
    steps: dict[int, Rate] = field(default_factory=dict)
    tasks: Rate = field(default_factory=Rate)
    paired: Rate = field(default_factory=Rate)
    programme: Rate = field(default_factory=Rate)
    aided: int = 0
    aid_children: int = 0
    aid_cash_children: int = 0
    aid_cash: Decimal = Decimal(0)
    dropout_watch: int = 0
    incidents: int = 0
    cash_withheld: bool = False

    WORK_RATES = ("filed", "monthly_talks", "weekly_talks", "checkins", "tasks", "paired", "programme")
    """Rates of work done for the children: officials see them over a total of 5 or more (the module's rule)."""
    RATES = ("share", "filed", "monthly_talks", "weekly_talks", "checkins", "tasks", "paired", "programme")
    COUNTS = ("pupils", "left_behind", "aided", "aid_children", "aid_cash_children", "aid_cash", "dropout_watch",
              "incidents", "monthly_missed", "weekly_missed")
    """Counts (and the cash total, a sum too) that add up from a class to the county."""

    def add(self, other: UnitFigures) -> None:
        """Add another unit's counts to this one (a class into its school, a school into its town)."""
        for name in self.RATES:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in self.COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for step, rate in other.steps.items():
            self.steps[step] = self.steps.get(step, Rate()) + rate

    def shown(self, name: str, official: bool) -> Rate | None:
        """The rate ``name`` as the reader may see it: a work rate by the work rule, the share by the strict one."""
        rate: Rate = getattr(self, name)
        if small_done(rate, official) or (name in self.WORK_RATES and rate_band(rate, official)):
            return None  # a percentage of a total shown works a numerator (or its complement) of 1–4 out
        return suppressed_rate(rate, official, self.left_behind if name in self.WORK_RATES else None)


def shown_aid(unit: UnitFigures, official: bool) -> tuple[int | None, Decimal | None]:
    """The aid records' figures as the reader may see them: children given aid, and the cash total in yuan.

    For an official the children are None (shown "<5") when they are 1–4, and the cash total is None (not
    shown) while the children given aid or the children given cash are 1–4. Zero is shown.
    """
    children = suppressed_count(unit.aid_children, official)
    if children is None or suppressed_count(unit.aid_cash_children, official) is None or (
            official and unit.cash_withheld):
        return children, None
    return children, unit.aid_cash


def yuan(amount: Decimal) -> str:
    """``500``, ``1250.5`` → ``1250.50``: whole yuan without decimals, else to the fen."""
    return f"{amount:.0f}" if amount == amount.to_integral_value() else f"{amount:.2f}"


def roll_up(units: list[UnitFigures], level: Level, name: str) -> UnitFigures:
    """One unit of ``level`` holding the sum of ``units``."""
    total = UnitFigures(level, name)
    for unit in units:
        total.add(unit)
    return total


# The registration form's fields a complete card (一人一档) holds; a child missing any is not "filed".
CARD_FIELDS = ("gender", "ethnicity", "birth_date", "student_no", "class_id", "schooling", "address",
               "left_behind_type", "guardianship_assessment")

# 就学情况 values that put a child on the dropout watch (控辍保学).
DROPOUT_WORDS = ("辍学", "失学", "休学", "未入学", "长期缺课", "dropout", "absent")


def on_dropout_watch(active: bool, schooling: str | None) -> bool:
    """A child who left the school, or whose schooling says dropped out / suspended / long absent."""
    if not active:
        return True
    return bool(schooling) and any(word in (schooling or "") for word in DROPOUT_WORDS)
