"""What the web dashboard shows and changes, one unit of work per request (implements ``bot.web.dashboard.Backend``).

Every method takes the session cookie and answers None when it is not a
valid, fully signed-in session (TOTP given where needed) or when the person
may not see the page: officials get the overview and the aggregate exports
only; a school's admins, leaders and safeguarding lead get their school's
figures, tasks, incidents they may see, the programme and the exports
``/export`` gives them (:func:`bot.services.export_files.kinds_for`).
The children and cards are those whose whole card ``/card`` shows the person
(:func:`bot.services.cards.full_filter`, ``Part.FULL``): a safeguarding lead
without a class sees none, as in chat. Reading and correcting a card is
audited as in chat (``VIEW_CARD``, ``CARD_CORRECTED``), on the ``web`` channel.
Values are plain data for the templates (names as text, times in the school's
zone, prompts rendered in the person's language).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, true

from bot.config import Settings
from bot.domain.clock import Clock
from bot.domain.enums import ADMIN_ROLES, RelationKind
from bot.domain.periods import local_date
from bot.domain.privacy import AUDIT_WEB, AuditAction
from bot.domain.roster_terms import term_param
from bot.i18n import format_param, format_when, gettext, render
from bot.messages.labels import TASK_KIND_LABELS
from bot.messages.prompt import N_, Prompt
from bot.services import (
    audit,
    cards,
    dashboard_figures,
    export_files,
    figures,
    figures_text,
    programme,
    programme_view,
    tasks,
    web_auth,
)
from bot.services.card_phone import check_guardian_phone
from bot.services.figures_periods import is_official, whole_period
from bot.services.figures_terms import official_scope, refused
from bot.services.figures_terms import unknown as unknown_term
from bot.services.incident_messages import KIND_LABELS, SEVERITY_LABELS, STATUS_LABELS
from bot.services.incident_roles import tasks_not_kept_away
from bot.services.incident_timeline import may_view_incident, timeline
from bot.services.ports import UnitOfWork, UowFactory
from bot.services.web_auth import WebUser
from bot.store.models import Child, ChildRelation, DashboardEdit, Incident, Person, School, SchoolClass, Task

EDITABLE = ("address", "schooling", "health", "guardian_phone")
"""Card fields an admin corrects on the dashboard (the guardian's phone is the entrusted guardian's)."""


def _read_value(name: str, raw: str) -> str | None:
    """One typed value read as the import reads its column; None when blank.

    Raises:
        FieldError: a formula's start, text longer than the column, a phone number that cannot be read.
    """
    from bot.domain.roster import read_cell
    from bot.domain.roster_cells import CellError, FieldError, parse_phone

    typed = raw.strip()
    if not typed:
        return None
    try:
        if name == "guardian_phone":
            return str(read_cell("guardian_phone", typed, parse_phone))
        value = read_cell(name, typed, str, free_text=True)  # an address keeps its spaces, as in chat
    except CellError as exc:
        raise FieldError(name, exc.reason, **exc.params) from exc
    return str(value) if value else None


class DashboardService:
    """The dashboard's use cases.

    Args:
        uow_factory: one unit of work per call.
        clock: UTC clock.
        settings: default locale.
        code_clock: the clock authenticator apps read (real time), for TOTP codes only; default: ``clock``.
    """

    def __init__(self, uow_factory: UowFactory, clock: Clock, settings: Settings, *,
                 code_clock: Clock | None = None) -> None:
        self.uows = uow_factory
        self.clock = clock
        self.code_clock = code_clock or clock
        self.settings = settings

    # -- signing in ------------------------------------------------------------------------------------

    def link_valid(self, token: str) -> bool:
        """Whether a sign-in link can still be used."""
        with self.uows() as uow:
            return web_auth.link_valid(uow, token, self.clock.now())

    def redeem(self, token: str) -> str | None:
        """Use a sign-in link: the new session's cookie, or None."""
        with self.uows() as uow:
            cookie = web_auth.redeem(uow, token, self.clock.now())
            uow.commit()
            return cookie

    def _user(self, uow: UnitOfWork, cookie: str, *, partial: bool = False) -> WebUser | None:
        user = web_auth.user_for(uow, cookie, self.clock.now(), self.settings.default_locale)
        if user is None or (user.needs_totp and not partial):
            return None
        return user

    def user(self, cookie: str) -> dict[str, Any] | None:
        """Who is signed in (also while the TOTP code is still due)."""
        with self.uows() as uow:
            user = self._user(uow, cookie, partial=True)
            uow.commit()
            if user is None:
                return None
            return {"name": user.actor.name, "locale": user.actor.locale, "csrf": user.csrf,
                    "needs_totp": user.needs_totp, "official": user.official}

    def totp_setup(self, cookie: str) -> dict[str, str] | None:
        """The secret to enrol, for school staff without a confirmed one; None otherwise."""
        with self.uows() as uow:
            user = self._user(uow, cookie, partial=True)
            if user is None or not user.needs_totp:
                return None
            found = web_auth.totp_setup(uow, cookie, self.clock.now())
            uow.commit()
            return found

    def verify_totp(self, cookie: str, code: str) -> bool | None:
        """A TOTP code for this session (the fifth wrong one ends it)."""
        with self.uows() as uow:
            ok = web_auth.verify_totp(uow, cookie, code, self.clock.now(), code_time=self.code_clock.now())
            uow.commit()
            return ok

    def totp_locked(self, cookie: str) -> dict[str, str] | None:
        """When this cookie's person's sign-in lock ends, in their language and school's time; None: not locked."""
        with self.uows() as uow:
            found = web_auth.locked_until(uow, cookie, self.clock.now())
            if found is None:
                return None
            until, person = found
            school = uow.session.get(School, person.school_id)
            locale = person.locale or (school.locale if school else None) or self.settings.default_locale
            zone = (school.timezone if school else None) or "Asia/Shanghai"
            return {"locale": locale, "until": format_when(until, locale, zone)}

    def logout(self, cookie: str) -> None:
        """End the session."""
        with self.uows() as uow:
            web_auth.end(uow, cookie, self.clock.now())
            uow.commit()

    # -- pages -----------------------------------------------------------------------------------------

    def overview(self, cookie: str, period_text: str) -> dict[str, Any] | None:
        """The figures (and rows for the chart) for the period typed, as ``/report`` shows them."""
        with self.uows() as uow:
            user = self._user(uow, cookie)
            if user is None:
                return None
            actor, now = user.actor, self.clock.now()
            period = figures_text.period_from_text(uow, actor.school_id, period_text, local_date(now, actor.timezone))
            bad: str | None = None if period is not None else N_("I could not read that period; showing this month.")
            today = local_date(now, actor.timezone)
            named = None if period is not None else unknown_term(uow, actor.school_id, period_text, today,
                                                                 official_scope(uow, actor))
            if period is not None and is_official(actor):
                period = whole_period(uow, actor.school_id, period)
                named = named if period is not None else refused(uow, actor.school_id, period_text, today)
            if period is None:
                period = figures_text.period_from_text(uow, actor.school_id, "", local_date(now, actor.timezone))
            assert period is not None  # noqa: S101 — the empty period is always this month
            report = figures.report_for(uow, actor, period, now)
            uow.commit()
            if report is None:
                return None
            bad_text = render(named, actor.locale, actor.timezone).text if named \
                else gettext(actor.locale, bad) if bad else None
            return dashboard_figures.overview_page(report, actor.locale, actor.timezone, bad_text)

    def children(self, cookie: str) -> list[dict[str, Any]] | None:
        """The school's children with their class (school staff only)."""
        with self.uows() as uow:
            user = self._user(uow, cookie)
            if user is None or user.official:
                return None
            rows = uow.session.execute(
                select(Child.id, Child.name, Child.student_no, SchoolClass.name)
                .outerjoin(SchoolClass, SchoolClass.id == Child.class_id)
                .where(Child.school_id == user.actor.school_id, cards.full_filter(uow, user.actor))
                .order_by(SchoolClass.id, Child.name, Child.id)).all()
            uow.commit()
            return [{"id": i, "name": n, "student_no": no, "class": c} for i, n, no, c in rows]

    def _guardian(self, uow: UnitOfWork, child_id: int) -> Person | None:
        return uow.session.scalar(
            select(Person).join(ChildRelation, ChildRelation.person_id == Person.id)
            .where(ChildRelation.child_id == child_id,
                   ChildRelation.kind == RelationKind.ENTRUSTED_GUARDIAN.value).order_by(ChildRelation.id).limit(1))

    def _child(self, uow: UnitOfWork, user: WebUser, child_id: int) -> Child | None:
        child = uow.session.get(Child, child_id)
        # The card ``/card`` shows in full (part_for), never more: the scope is the chat's for every role.
        if child is None or not child.active or child.school_id != user.actor.school_id \
                or cards.part_for(uow, user.actor, child) is not cards.Part.FULL:
            return None
        return child

    def child(self, cookie: str, child_id: int) -> dict[str, Any] | None:
        """A child's card with its edit history (school staff only)."""
        with self.uows() as uow:
            user = self._user(uow, cookie)
            child = self._child(uow, user, child_id) if user is not None and not user.official else None
            if user is None or child is None:
                return None
            guardian = self._guardian(uow, child.id)
            klass = uow.session.get(SchoolClass, child.class_id) if child.class_id else None
            edits = uow.session.execute(
                select(DashboardEdit, Person.name).join(Person, Person.id == DashboardEdit.person_id)
                .where(DashboardEdit.child_id == child.id).order_by(DashboardEdit.at.desc())).all()
            audit.record(uow, actor_id=user.actor.person_id, action=AuditAction.VIEW_CARD, child_id=child.id,
                         channel=AUDIT_WEB, now=self.clock.now())
            uow.commit()
            zone, loc = user.actor.timezone, user.actor.locale
            return {
                "id": child.id, "name": child.name, "class": klass.name if klass else "",
                "student_no": child.student_no,
                # The form's fixed words in the reader's language (bot.domain.roster_terms); free text as typed.
                **{name: format_param(term_param(name, value), loc, zone) if value else None
                   for name, value in (("gender", child.gender), ("left_behind_type", child.left_behind_type),
                                       ("guardianship_assessment", child.guardianship_assessment))},
                "birth_date": child.birth_date,
                "values": {"address": child.address or "", "schooling": child.schooling or "",
                           "health": child.health or "", "guardian_phone": guardian.phone or "" if guardian else ""},
                "guardian": guardian.name if guardian else None,
                "edits": [{"at": format_when(e.at, loc, zone), "by": name, "field": e.field, "old": e.old_value,
                           "new": e.new_value} for e, name in edits],
            }

    def edit_child(self, cookie: str, child_id: int, values: dict[str, str]) -> list[str] | None:
        """Correct a card; the fields that changed (each recorded), or None when not allowed.

        Every value is read first as the roster import reads its column
        (:func:`bot.domain.roster.read_cell`: a formula's start and text longer
        than the column are refused, never cut), then all are written: one
        refused value changes nothing.

        Raises:
            FieldError: the first value refused, with the field and the import's reason.
        """
        with self.uows() as uow:
            user = self._user(uow, cookie)
            child = self._child(uow, user, child_id) if user is not None and not user.official else None
            if user is None or child is None:
                return None
            guardian = self._guardian(uow, child.id)
            read = {name: _read_value(name, values[name]) for name in EDITABLE if name in values}
            if guardian is not None and "guardian_phone" in read and read["guardian_phone"] != (guardian.phone or None):
                check_guardian_phone(uow, guardian.id, read["guardian_phone"], actor_id=user.actor.person_id,
                                     child_id=child.id, now=self.clock.now())  # before anything is changed
            changed: list[str] = []
            now = self.clock.now()
            target: Any
            for name, new in read.items():
                if name == "guardian_phone":
                    if guardian is None:
                        continue
                    old, target, attr = guardian.phone, guardian, "phone"
                else:
                    old, target, attr = getattr(child, name), child, name
                if (old or None) == new:
                    continue
                setattr(target, attr, new)
                uow.session.add(DashboardEdit(person_id=user.actor.person_id, child_id=child.id, field=name,
                                              old_value=old, new_value=new, at=now))
                audit.record(uow, actor_id=user.actor.person_id, action=AuditAction.CARD_CORRECTED,
                             child_id=child.id, channel=AUDIT_WEB, now=now, field=name)
                changed.append(name)
            uow.commit()
            return changed

    def tasks(self, cookie: str) -> list[dict[str, Any]] | None:
        """The open tasks, oldest first: the school's for admins and leaders, else the person's own."""
        with self.uows() as uow:
            user = self._user(uow, cookie)
            if user is None or user.official:
                return None
            rows = uow.session.execute(
                select(Task, Person.name, Child.name).join(Person, Person.id == Task.assignee_id)
                .outerjoin(Child, Child.id == Task.child_id)
                # The task's school as /tasks decides it: its child's, else its assignee's (issue 9).
                .where(tasks.school_of_task(user.actor.school_id), Task.done_at.is_(None), Task.cancelled_at.is_(None),
                       # As /tasks: admins and leaders the school's (tasks.may_act), anyone else their own.
                       true() if ADMIN_ROLES & user.actor.roles else Task.assignee_id == user.actor.person_id,
                       tasks_not_kept_away(user.actor.person_id))  # never an incident's they were left out of
                .order_by(Task.created_at, Task.id)).all()
            uow.commit()
            return [{"kind": gettext(user.actor.locale, TASK_KIND_LABELS.get(t.kind, t.kind)), "assignee": who,
                     "child": child,
                     "created": format_when(t.created_at, user.actor.locale, user.actor.timezone)}
                    for t, who, child in rows]

    def incidents(self, cookie: str) -> list[dict[str, Any]] | None:
        """The school's incidents the person may see, newest first, each with its timeline."""
        with self.uows() as uow:
            user = self._user(uow, cookie)
            if user is None or user.official:
                return None
            loc, zone = user.actor.locale, user.actor.timezone
            rows = uow.session.execute(
                select(Incident, Child.name).join(Child, Child.id == Incident.child_id)
                .where(Child.school_id == user.actor.school_id).order_by(Incident.reported_at.desc())).all()
            out = []
            for incident, child in rows:
                if not may_view_incident(uow, person_id=user.actor.person_id, incident_id=incident.id):
                    continue
                steps = [{"step": r.step_no, "name": r.name, "due": format_when(r.due_by, loc, zone),
                          "sent": format_when(r.sent_at, loc, zone) if r.sent_at else "—",
                          "ack": format_when(r.acknowledged_at, loc, zone) if r.acknowledged_at else "—",
                          "on_time": None if r.acknowledged_at is None else r.acknowledged_at <= r.due_by,
                          "excluded": r.excluded} for r in timeline(uow, incident.id)]
                out.append({"id": incident.id, "child": child,
                            "status": gettext(loc, STATUS_LABELS.get(incident.status, incident.status)),
                            "kind": gettext(loc, KIND_LABELS.get(incident.kind, incident.kind)),
                            "severity": gettext(loc, SEVERITY_LABELS.get(incident.severity, incident.severity)),
                            "reported": format_when(incident.reported_at, loc, zone), "steps": steps})
            uow.commit()
            return out

    def programme(self, cookie: str) -> list[str] | None:
        """The programme calendar as ``/programme`` lists it (school staff only)."""
        with self.uows() as uow:
            user = self._user(uow, cookie)
            if user is None or user.official:
                return None
            programme.seed_defaults(uow, user.actor.school_id, self.clock.now())
            prompt = programme_view.list_prompt(uow, user.actor.school_id, self.clock.now(), hint=False)
            uow.commit()
            return render(prompt, user.actor.locale, user.actor.timezone).text.splitlines()

    def export_kinds(self, cookie: str) -> list[dict[str, str]] | None:
        """The exports the person may download."""
        with self.uows() as uow:
            user = self._user(uow, cookie)
            if user is None:
                return None
            return [{"kind": k.value, "label": gettext(user.actor.locale, export_files.LABELS[k])}
                    for k in export_files.kinds_for(user.actor)]

    def export(self, cookie: str, kind: str, period_text: str) -> tuple[str, bytes] | list[str] | str | None:
        """A download: ``(filename, bytes)``, the problems to correct first, why not (a str), or None if not allowed."""
        with self.uows() as uow:
            user = self._user(uow, cookie)
            if user is None or kind not in {k.value for k in export_files.ExportKind}:
                return None
            now: datetime = self.clock.now()
            period = figures_text.period_from_text(uow, user.actor.school_id, period_text,
                                                   local_date(now, user.actor.timezone))
            today = local_date(now, user.actor.timezone)
            named = None if period is not None else unknown_term(uow, user.actor.school_id, period_text, today,
                                                                 official_scope(uow, user.actor))
            if named is not None:  # a term by name the school has none of: said, never this month's file instead
                return render(named, user.actor.locale, user.actor.timezone).text
            if period is not None and is_official(user.actor):
                period = whole_period(uow, user.actor.school_id, period)
                if period is None:
                    return render(refused(uow, user.actor.school_id, period_text, today), user.actor.locale,
                                  user.actor.timezone).text
            period = period or figures_text.period_from_text(uow, user.actor.school_id, "", today)
            assert period is not None  # noqa: S101 — the empty period is always this month
            made = export_files.make_export(uow, user.actor, export_files.ExportKind(kind), period, now,
                                            locale=user.actor.locale, channel=AUDIT_WEB)
            uow.commit()
            if made is None:
                return None
            if made.nothing:
                return gettext(user.actor.locale, made.nothing)
            if made.problems:
                return [render_problem(p, user.actor.locale) for p in made.problems]
            return made.filename, made.data


def render_problem(problem: export_files.Problem, locale: str) -> str:
    """One problem of the registration table, in the person's language."""
    return render(Prompt(problem.message_id, problem.params), locale).text
