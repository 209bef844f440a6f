"""One export as a file, for whoever may have it: ``/export`` in chat, ``guanai export``, the dashboard.

Who may export what (written down in ``docs/privacy.md``, "Exports"):

* A school's admins and leaders (``ADMIN_ROLES``): everything of their school.
* A safeguarding lead (儿童保护负责人) who is neither: the exports of per-child
  records (花名册, talk cards, pairing list, aid ledger: :data:`CARD_SCOPED`)
  follow exactly the card scope, the children whose whole card ``/card`` shows
  her (:func:`bot.services.cards.full_filter`): her own class's when she is a
  class teacher, none otherwise (the kinds are then not offered). The incident
  timelines cover the incidents she is in (:func:`bot.services.incident_timeline.
  may_view_incident`): every safeguarding report of her school (each one's
  notices go to the school's leaders and safeguarding leads,
  ``incident_people.leader_ids``, whatever the school's chain says) and any
  other incident she reported or was alerted about. The figures and the
  registration table (aggregates) stay school-wide.
* Officials only aggregates (the figures and the registration table, counts
  under five suppressed) for their town or county; nobody else anything.

The registration table's checks run first: with problems, no file is made
unless ``force`` is given (the CLI's ``--force``), and the problems are
returned for the person to correct.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, select

from bot.adapters.xlsx_export import workbook_bytes
from bot.domain.enums import ADMIN_ROLES, Role
from bot.domain.figures import PeriodKind, ReportPeriod
from bot.domain.periods import local_date
from bot.domain.privacy import AUDIT_CLI
from bot.domain.tables import Sheet
from bot.messages.prompt import N_
from bot.services import aid_ledger, audit, cards, exports, figures, figures_sheet, registration
from bot.services.identity import Actor
from bot.services.incident_people import is_safeguarding
from bot.services.incident_timeline import may_view_incident
from bot.services.ports import UnitOfWork
from bot.services.registration import Problem
from bot.store.models import Child, Incident, School


class ExportKind(StrEnum):
    """What can be exported."""

    ROSTER = "roster"  # 花名册
    TALKS = "talks"  # 谈心记录卡
    INCIDENTS = "incidents"  # 突发事件
    PAIRING = "pairing"  # 结对名单
    REGISTRATION = "registration"  # 留守儿童统计表
    FIGURES = "figures"  # 统计数据
    AID = "aid"  # 资助台账


# Exports of one school's children's records: audited per child (the figures are aggregates).
PER_CHILD = frozenset({ExportKind.ROSTER, ExportKind.TALKS, ExportKind.INCIDENTS, ExportKind.PAIRING, ExportKind.AID})
CARD_SCOPED = frozenset({ExportKind.ROSTER, ExportKind.TALKS, ExportKind.PAIRING, ExportKind.AID})
"""Exports of per-child records that follow the card scope (module doc)."""
PERIOD_KINDS = frozenset({ExportKind.FIGURES, ExportKind.AID})
"""Exports covering a period (this month unless 学期, 学年 or dates follow): the file name says which."""


WORDS: dict[str, ExportKind] = {
    "花名册": ExportKind.ROSTER, "roster": ExportKind.ROSTER,
    "谈心": ExportKind.TALKS, "谈心记录": ExportKind.TALKS, "记录卡": ExportKind.TALKS, "talks": ExportKind.TALKS,
    "事件": ExportKind.INCIDENTS, "突发事件": ExportKind.INCIDENTS, "incidents": ExportKind.INCIDENTS,
    "结对": ExportKind.PAIRING, "结对名单": ExportKind.PAIRING, "pairing": ExportKind.PAIRING,
    "pairings": ExportKind.PAIRING,
    "统计表": ExportKind.REGISTRATION, "登记": ExportKind.REGISTRATION, "registration": ExportKind.REGISTRATION,
    "统计": ExportKind.FIGURES, "统计数据": ExportKind.FIGURES, "figures": ExportKind.FIGURES,
    "资助": ExportKind.AID, "资助台账": ExportKind.AID, "aid": ExportKind.AID,
}
"""The word typed after ``/export`` (or given to ``guanai export``) → the export."""

FILE_NAMES = {
    ExportKind.ROSTER: "花名册", ExportKind.TALKS: "谈心记录卡", ExportKind.INCIDENTS: "突发事件",
    ExportKind.PAIRING: "结对名单", ExportKind.REGISTRATION: "留守儿童统计表", ExportKind.FIGURES: "统计数据",
    ExportKind.AID: "资助台账",
}
LABELS = {
    ExportKind.ROSTER: N_("花名册 — the roster in the registration form's layout (imports again)"),
    ExportKind.TALKS: N_("谈心记录 — the talk record cards, one sheet per child"),
    ExportKind.INCIDENTS: N_("事件 — incident timelines: due by, sent at, acknowledged at per person"),
    ExportKind.PAIRING: N_("结对 — the pairing list, with what is missing"),
    ExportKind.REGISTRATION: N_("统计表 — the registration exercise's aggregate table, checked first"),
    ExportKind.FIGURES: N_("统计 — the figures per class, school and town (add 学期 or 学年)"),
    ExportKind.AID: N_("资助 — the aid ledger: one row per aid given, with child, date and yuan (add 学期 or 学年)"),
}
AGGREGATE_KINDS = frozenset({ExportKind.REGISTRATION, ExportKind.FIGURES})
"""What officials may export."""


@dataclass
class ExportFile:
    """A made export, or the reasons it was not made.

    Attributes:
        filename: ``清溪小学-花名册-2026-11-30.xlsx``.
        data: the workbook's bytes (empty when refused).
        problems: what the registration table's checks found.
        nothing: why there is no file to send (a message id), e.g. no talk recorded yet; "" otherwise.
        withheld: safeguarding reports left out of the ``guanai`` command's incident timelines (without
            ``safeguarding``): the command says how many and how to get them.
    """

    filename: str
    data: bytes = b""
    problems: list[Problem] = field(default_factory=list)
    nothing: str = ""
    withheld: int = 0


NO_CHILDREN_YOURS = N_("This export names children one by one, so it covers only the children whose card you see "
                       "with /card, and you see none.")
NO_TALKS_YET = N_("No talk has been recorded yet, so there are no talk record cards to export.")


def kinds_for(actor: Actor) -> list[ExportKind]:
    """The exports this person may make (none for teachers, guardians, parents): the rules in the module doc.

    A safeguarding lead is offered the card-scoped exports only when she is a class teacher (the one role by
    which :func:`bot.services.cards.full_filter` shows her whole cards); her class's children are then exported.
    """
    if ADMIN_ROLES & actor.roles:
        return list(ExportKind)
    if Role.SAFEGUARDING_LEAD in actor.roles:
        return [k for k in ExportKind if k not in CARD_SCOPED or Role.CLASS_TEACHER in actor.roles]
    if figures.OFFICIAL_REPORT_ROLES & actor.roles:
        return [k for k in ExportKind if k in AGGREGATE_KINDS]
    return []


def _scope(uow: UnitOfWork, actor: Actor) -> tuple[list[int], bool, str]:
    """The schools an official's export covers, and the scope's name."""
    own = uow.session.get(School, actor.school_id)
    query = select(School.id).order_by(School.name)
    if figures.SCHOOL_ROLES & actor.roles:
        return [actor.school_id], False, own.name if own else ""
    if "education_bureau" not in actor.roles:
        query = query.where(School.town == own.town) if own is not None and own.town else \
            query.where(School.id == actor.school_id)
        return list(uow.session.scalars(query)), True, (own.town if own and own.town else own.name if own else "")
    schools = list(uow.session.scalars(select(School).order_by(School.name)))
    return [school.id for school in schools], True, _overseen_name(schools)


def _overseen_name(schools: list[School]) -> str:
    """An education office's file name part: its one town or school, else the count ("3所学校").

    An education office sees every school in the database, which has no name of its own: "全县" read to a
    town's 教育办 (镇教育办) as a county-wide file it never asked for (found by a new-user trial).
    """
    towns = {school.town for school in schools}
    if len(schools) == 1:
        return schools[0].name
    if len(towns) == 1 and None not in towns and "" not in towns:
        return str(next(iter(towns)))
    return f"{len(schools)}所学校"


def file_name(scope: str, kind: ExportKind, period: ReportPeriod, today: date) -> str:
    """``清溪小学-花名册-2026-11-30.xlsx``; a period's file names it apart from the day it was made.

    The figures and the aid ledger cover a period: it is named (``2026年12月``, ``2026-09-01至2027-01-20``), so
    this month's file and the semester's do not overwrite each other, and the day of export says so (``导出``):
    ``统计数据-2026-12-2026-12-02`` read as a period with its date doubled (found by a new-user trial).
    The names are Chinese in every locale, like the sheets (the files go to Chinese offices).
    """
    if kind not in PERIOD_KINDS:
        return f"{scope}-{FILE_NAMES[kind]}-{today.isoformat()}.xlsx"
    covered = (f"{period.first.year}年{period.first.month}月" if period.kind is PeriodKind.MONTH
               else f"{period.first.isoformat()}至{period.last.isoformat()}")
    return f"{scope}-{FILE_NAMES[kind]}-{covered}-导出{today.isoformat()}.xlsx"


def make_export(uow: UnitOfWork, actor: Actor, kind: ExportKind, period: ReportPeriod, now: datetime, *,
                locale: str, force: bool = False, channel: str = AUDIT_CLI,
                safeguarding: bool = False) -> ExportFile | None:
    """Build the export ``kind`` for ``actor``; None when they may not have it.

    A file made is recorded in the audit log (issue 10, item 3; ``channel``: where it was asked for):
    for the exports of one school's children's records, one entry per child. ``safeguarding``: the
    ``guanai`` command's explicit ``--safeguarding``: its incident timelines include the safeguarding
    reports, and its audit entries say so (``detail.safeguarding``).
    """
    if kind not in kinds_for(actor):
        return None
    school_ids, official, scope = _scope(uow, actor)
    today = local_date(now, actor.timezone)
    filename = file_name(scope, kind, period, today)
    sheets: list[Sheet]
    aided: list[int] | None = None  # the audit entries' children, when not every child of the school
    cards_seen: ColumnElement[bool] | None = None  # a safeguarding lead's card scope (None: the whole school)
    if not ADMIN_ROLES & actor.roles and kind in PER_CHILD:
        cards_seen = cards.full_filter(uow, actor)
        aided = list(uow.session.scalars(select(Child.id).where(Child.school_id == actor.school_id, cards_seen)))
    if kind is ExportKind.REGISTRATION:
        sheet, problems = registration.registration_table(uow, school_ids, today, official=official,
                                                          locale=locale)
        if problems and not force:
            return ExportFile(filename, problems=problems)
        sheets = [sheet]
    elif kind is ExportKind.FIGURES:
        report = figures.report_for(uow, actor, period, now)
        if report is None:
            return None
        sheets = figures_sheet.figures_sheets(report, locale)
    elif kind is ExportKind.INCIDENTS:
        # The incidents the person may see on the dashboard (may_view_incident), for admins too: a
        # safeguarding report goes to its designated people only (fix9h: the admin's file listed it).
        incident_ids, withheld = _incidents_seen(uow, actor, channel, safeguarding)
        if cards_seen is not None or incident_ids is not None:
            aided = list(uow.session.scalars(select(Incident.child_id).where(Incident.id.in_(incident_ids or [-1]))))
        sheets = [exports.incident_sheet(uow, actor.school_id, locale, incident_ids)]
    elif cards_seen is not None and not aided:
        return ExportFile(filename, nothing=NO_CHILDREN_YOURS)
    elif kind is ExportKind.ROSTER:
        sheets = exports.roster_sheets(uow, actor.school_id, cards_seen)
    elif kind is ExportKind.TALKS:
        if not exports.has_talks(uow, actor.school_id, cards_seen):  # issue 9: a file of empty cards was sent
            return ExportFile(filename, nothing=NO_TALKS_YET)
        sheets = exports.talk_card_sheets(uow, actor.school_id, locale, cards_seen)
    elif kind is ExportKind.AID:
        aided = aid_ledger.aid_children(uow, actor.school_id, period, cards_seen)
        if not aided:
            return ExportFile(filename, nothing=aid_ledger.NO_AID_YET)
        sheets = [aid_ledger.aid_ledger_sheet(uow, actor.school_id, period, locale, cards_seen)]
    else:
        sheets = [exports.pairing_sheet(uow, actor.school_id, locale, cards_seen)]
    # The ``guanai`` command acts as nobody in particular (person id 0): its entries name the CLI, no person.
    actor_id = None if channel == AUDIT_CLI and not actor.person_id else actor.person_id
    told = kind is ExportKind.INCIDENTS and safeguarding and channel == AUDIT_CLI and not actor.person_id
    audit.record_export(uow, actor_id=actor_id, school_id=actor.school_id, kind=kind.value, channel=channel,
                        now=now, per_child=kind in PER_CHILD, children=aided, safeguarding=told)
    return ExportFile(filename, workbook_bytes(sheets),
                      withheld=withheld if kind is ExportKind.INCIDENTS else 0)


def _incidents_seen(uow: UnitOfWork, actor: Actor, channel: str,
                    safeguarding: bool = False) -> tuple[list[int] | None, int]:
    """The school's incidents in ``actor``'s timeline export (None for all), and the safeguarding reports withheld.

    A person sees what :func:`~bot.services.incident_timeline.may_view_incident` lets them (an admin not
    among a safeguarding report's designated people does not see it). The ``guanai`` command acts as nobody
    (person id 0) for whoever runs the server: it is designated for no safeguarding report, so it gets every
    other incident and the count of those withheld (it says so), unless ``safeguarding`` (its explicit
    ``--safeguarding``, audited) asks for them all.
    """
    rows = uow.session.execute(select(Incident.id, Incident.kind).join(Child, Child.id == Incident.child_id)
                               .where(Child.school_id == actor.school_id)).all()
    if channel == AUDIT_CLI and not actor.person_id:
        withheld = sum(is_safeguarding(kind) for _i, kind in rows)
        if safeguarding or not withheld:
            return None, 0
        return [i for i, kind in rows if not is_safeguarding(kind)], withheld
    return [i for i, _kind in rows if may_view_incident(uow, person_id=actor.person_id, incident_id=i)], 0
