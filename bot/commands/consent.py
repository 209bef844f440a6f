"""``guanai consent``: the consent rate, the children still pending, and a guardian's signed paper form.

* ``guanai consent`` — per school: children with consent granted / pending /
  declined / withdrawn, and the rate.
* ``guanai consent --pending`` — also lists the children still pending or
  refused (name, class, student number), to collect paper forms.
* ``guanai consent CHILD --agree|--decline|--withdraw [--guardian PERSON]`` —
  records a signed paper form (channel ``paper``); CHILD is a name, a student
  number (学籍号) or ``#id``; PERSON a name, phone or ``#id`` of one of the
  child's guardians or parents. The recorded row names the form's signer, the
  time, the notice version and the scope, like an answer given in chat.

Exit status: 0 done; 1 no such child, several children match, or the
guardian is not one of the child's family.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import TYPE_CHECKING

from bot.messages.prompt import N_, msg, plural

if TYPE_CHECKING:
    from bot.services.ports import UnitOfWork


def add_parser(sub: argparse._SubParsersAction) -> None:
    """The ``consent`` sub-command's arguments."""
    p = sub.add_parser("consent", help="the consent rate, pending children, and a guardian's signed paper form")
    p.add_argument("child", nargs="?", help="name, student number or #id of the child (with --agree/--decline/…)")
    answer = p.add_mutually_exclusive_group()
    answer.add_argument("--agree", action="store_const", const="granted", dest="decision")
    answer.add_argument("--decline", action="store_const", const="declined", dest="decision")
    answer.add_argument("--withdraw", action="store_const", const="withdrawn", dest="decision")
    p.add_argument("--guardian", help="who signed the form: name, phone or #id of the child's guardian or parent")
    p.add_argument("--pending", action="store_true", help="list the children without consent")


def cmd_consent(args: argparse.Namespace) -> int:
    """Print the consent figures, or record a paper form. Returns the exit status."""
    from bot.bootstrap import build
    from bot.config import load_settings
    from bot.store.schema import prepare_database

    settings = load_settings()
    locale = settings.default_locale
    prepare_database(settings.database_url)
    app = build(settings)
    try:
        with app.uow() as uow:
            if args.child:
                return _record(uow, locale, args, app.clock.now())
            _report(uow, locale, pending=args.pending)
            return 0
    finally:
        app.engine.dispose()


def _report(uow: UnitOfWork, locale: str, *, pending: bool) -> None:
    from bot.commands.output import say
    from bot.services import consent_report

    for school in consent_report.by_school(uow):
        message_id, params = plural(
            "{school}: consent granted for {granted} of {total} child ({percent}%); pending {pending}, declined "
            "{declined}, withdrawn {withdrawn}.",
            "{school}: consent granted for {granted} of {total} children ({percent}%); pending {pending}, declined "
            "{declined}, withdrawn {withdrawn}.", school.total,
            school=school.name, granted=school.granted, total=school.total, percent=school.percent,
            pending=school.pending, declined=school.declined, withdrawn=school.withdrawn)
        say(locale, message_id, **params)
        if pending:
            for row in school.without:
                say(locale, N_("  #{id} {name} ({class_name}), student number {student_no}: {status}"), id=row.id,
                    name=row.name, class_name=row.class_name or "—", student_no=row.student_no,
                    status=msg(row.status_label))


def _record(uow: UnitOfWork, locale: str, args: argparse.Namespace, now: datetime) -> int:
    from bot.commands.bindings import _person
    from bot.commands.output import one_child, say
    from bot.domain.privacy import AUDIT_CLI, NOTICE_VERSION, AuditAction, ConsentChannel, ConsentDecision
    from bot.services import audit, consent, consent_report

    if args.decision is None:
        say(locale, N_("Say what the form says: --agree, --decline or --withdraw."), sys.stderr)
        return 1
    child = one_child(locale, args.child, consent_report.find_children(uow, args.child))
    if child is None:
        return 1
    signer = None
    if args.guardian:
        person = _person(uow, locale, args.guardian)
        if person is None:
            return 1
        if person.id not in consent_report.family_of(uow, child.id):
            say(locale, N_("{name} is not a guardian or parent of {child} on the roster."), sys.stderr,
                name=person.name, child=child.name)
            return 1
        signer = person.id
    decision = ConsentDecision(args.decision)
    consent.record(uow, child_ids=[child.id], decision=decision, channel=ConsentChannel.PAPER, now=now,
                   person_id=signer)
    audit.record(uow, actor_id=None, action=AuditAction.CONSENT_RECORDED, child_id=child.id, channel=AUDIT_CLI,
                 now=now, decision=decision.value)
    uow.commit()
    say(locale, N_("Recorded for {child} ({class_name}): {decision} (paper form, notice version {version})."),
        child=child.name, class_name=child.class_name or "—", decision=msg(DECISION_LABELS[decision]),
        version=NOTICE_VERSION)
    return 0


DECISION_LABELS = {"granted": N_("agreed"), "declined": N_("declined"), "withdrawn": N_("withdrawn")}  # by value
