"""What admins see of the programme: each item with its next date, computed in school time.

RapidPro shows the computed next fire of a campaign event; here each item
shows its next start date and when its reminder goes out, so an admin can
check a rule before anyone is reminded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.domain.periods import local_date
from bot.domain.programme import SpecError, birthday_date, remind_date, start_date
from bot.domain.school_year import SchoolYear
from bot.messages.prompt import N_, Prompt, dt, msg, text
from bot.messages.prompt import day as a_day
from bot.services import school_year
from bot.services.ports import UnitOfWork
from bot.services.programme import items, spec_of
from bot.services.programme_tasks import title_param
from bot.store.models import ChildRelation, Person, ProgrammeItem, School

ROLE_WORDS = {"class_teacher": N_("each class teacher"), "helper_teacher": N_("each helper teacher"),
              "admin": N_("the school's admins")}


@dataclass(frozen=True)
class NextDate:
    """An item's next occurrence: its first day and when the reminder goes out (UTC)."""

    starts_on: date
    remind_at: datetime


def next_date(uow: UnitOfWork, row: ProgrammeItem, now: datetime) -> NextDate | None:
    """The item's next occurrence starting today or later (within two years), or None."""
    school = uow.session.get(School, row.school_id)
    zone = (school.timezone if school else None) or "Asia/Shanghai"
    today = local_date(now, zone)
    year: SchoolYear = school_year.school_year(uow, row.school_id, today)
    try:
        spec = spec_of(row)
    except SpecError:
        return None
    days: list[date] = []
    for y in range(today.year - 1, today.year + 3):
        if spec.anchor.kind == "birthday":
            kinds = ("entrusted_guardian",) if spec.anchor.value == "guardian" else ("father", "mother")
            birthdays = uow.session.scalars(select(Person.birthday).where(
                Person.school_id == row.school_id, Person.birthday.is_not(None),
                Person.id.in_(select(ChildRelation.person_id).where(ChildRelation.kind.in_(kinds)))))
            days += [d for b in birthdays if b and (d := birthday_date(b, y)) is not None]
        else:
            days += spec.anchor.dates(y, year.semesters)
    starts = sorted(s for s in (start_date(d, spec, year) for d in days) if s >= today)
    if not starts:
        return None
    reminded = remind_date(starts[0], spec, year)
    at = datetime.combine(reminded, spec.delivery_time, tzinfo=ZoneInfo(zone)).astimezone(UTC)
    return NextDate(starts[0], max(at, now))


def list_prompt(uow: UnitOfWork, school_id: int, now: datetime, *, codes: bool = False,
                hint: bool = True) -> Prompt:
    """``/programme``: one line per item: its number (``codes``: its code), title, next date and reminder, or "off".

    People read titles, not codes: in chat an item is chosen by its number
    (:func:`resolve`); the terminal shows the codes its files use. ``hint``
    adds how to see or change an item in chat (not on the dashboard).
    """
    if codes:
        off, dateless, dated = (N_("• {code}: {title} — off"), N_("• {code}: {title} — no date in the next two years"),
                                N_("• {code}: {title} — starts {date}, reminder {when}"))
    else:
        off, dateless, dated = (N_("• {number}. {title} — off"),
                                N_("• {number}. {title} — no date in the next two years"),
                                N_("• {number}. {title} — starts {date}, reminder {when}"))
    lines: list[tuple[str, dict[str, Any]]] = []
    for number, row in enumerate(items(uow, school_id), start=1):
        nxt = next_date(uow, row, now) if row.active else None
        which = {"code": text(row.code), "number": number, "title": title_param(row)}
        if not row.active:
            lines.append((off, which))
        elif nxt is None:
            lines.append((dateless, which))
        else:
            lines.append((dated, {**which, "date": a_day(nxt.starts_on), "when": dt(nxt.remind_at)}))
    count = len(lines)
    if hint:
        lines.append((N_("Send /programme CODE to see an item, /programme CODE field=value to change it.") if codes
                      else N_("Send /programme and an item's number to see it (/programme 3), and /programme 3 "
                              "field=value to change it."), {}))
    return Prompt(N_("The care programme ({count} items):"), {"count": count}, lines=tuple(lines))


def resolve(uow: UnitOfWork, school_id: int, word: str) -> str:
    """The code of the item typed as its number in the list (``3``), or ``word`` itself (a code)."""
    if word.isdigit():
        rows = items(uow, school_id)
        if 1 <= int(word) <= len(rows):
            return rows[int(word) - 1].code
    return word


def item_prompt(uow: UnitOfWork, school_id: int, code: str, now: datetime) -> Prompt | None:
    """``/programme CODE``: the item's fields and next date; None when the school has no such item."""
    row = uow.session.scalar(select(ProgrammeItem).where(ProgrammeItem.school_id == school_id,
                                                         ProgrammeItem.code == code))
    if row is None:
        return None
    nxt = next_date(uow, row, now) if row.active else None
    action = msg(row.action) if row.title_is_id and row.action else text(row.action or "—")
    lines: list[tuple[str, dict[str, Any]]] = [
        (N_("anchor={anchor} offset={offset} align={align} time={time} remind={remind}"),
         {"anchor": text(row.anchor), "offset": row.offset_days, "align": row.align, "time": row.delivery_time,
          "remind": row.remind_days}),
        (N_("role={role} ({who}) audience={audience} count={count} holidays={holidays} active={active}"),
         {"role": row.role, "who": msg(ROLE_WORDS.get(row.role, row.role)), "audience": row.audience,
          "count": row.count_kind, "holidays": "yes" if row.on_holidays else "no",
          "active": "yes" if row.active else "no"}),
        (N_("To do: {action}"), {"action": action}),
    ]
    if nxt is not None:
        lines.append((N_("Next: starts {date}, reminder {when}"), {"date": a_day(nxt.starts_on),
                                                                   "when": dt(nxt.remind_at)}))
    number = next((n for n, r in enumerate(items(uow, school_id), start=1) if r.id == row.id), 0)
    return Prompt(N_("{number}. {title}"), {"number": number, "title": title_param(row)}, lines=tuple(lines))

