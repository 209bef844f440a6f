"""``guanai audit CHILD``: who read or changed a child's record, newest first (issue 10, item 3).

CHILD is a name, a student number (学籍号) or ``#id``. The listing is itself
recorded (channel ``cli``). Exit status: 0 listed; 1 no child or several match.
"""

from __future__ import annotations

import argparse

from bot.messages.prompt import N_, dt, msg, plural


def add_parser(sub: argparse._SubParsersAction) -> None:
    """The ``audit`` sub-command's arguments."""
    p = sub.add_parser("audit", help="who read or changed a child's record")
    p.add_argument("child", help="name, student number or #id of the child")


def cmd_audit(args: argparse.Namespace) -> int:
    """List a child's audit entries. Returns the exit status."""
    from bot.bootstrap import build
    from bot.commands.output import one_child, say
    from bot.config import load_settings
    from bot.domain.privacy import AUDIT_CLI, AuditAction
    from bot.messages.labels import AUDIT_CHANNEL_LABELS
    from bot.services import audit, consent_report
    from bot.services.audit import ACTION_LABELS, COMMAND_LINE
    from bot.store.schema import prepare_database

    settings = load_settings()
    locale = settings.default_locale
    prepare_database(settings.database_url)
    app = build(settings)
    try:
        with app.uow() as uow:
            child = one_child(locale, args.child,
                              consent_report.find_children(uow, args.child, active_only=False))
            if child is None:
                return 1
            shown = audit.entries(uow, child.id, limit=None)
            audit.record(uow, actor_id=None, action=AuditAction.VIEW_AUDIT, child_id=child.id, channel=AUDIT_CLI,
                         now=app.clock.now())
            uow.commit()
            message_id, params = plural("Who read or changed {child}'s record ({count} entry):",
                                        "Who read or changed {child}'s record ({count} entries, newest first):",
                                        len(shown), child=child.name, count=len(shown))
            say(locale, message_id, **params)
            for e in shown:
                say(locale, N_("· {at} {actor} — {action} ({channel})"), at=dt(e.at),
                    actor=e.actor or msg(COMMAND_LINE),
                    action=msg(ACTION_LABELS.get(AuditAction(e.action), e.action)),
                    channel=msg(AUDIT_CHANNEL_LABELS.get(e.channel, COMMAND_LINE)))
            return 0
    finally:
        app.engine.dispose()
