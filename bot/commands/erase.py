"""``guanai erase CHILD [--yes]``: erase a child's record on a deletion request (issue 10, item 4).

CHILD is a name, a student number (学籍号) or ``#id``. The command shows
what will be erased and asks for the child's name to be typed back (``--yes``
skips the question, for scripts). It is refused while an incident about the
child is open. What aggregate figures need is kept (``bot.services.retention``); relatives related
to no other child are erased too, and the summary says how many; the 学籍号 is kept as a blind index
only, so ``guanai import`` does not bring the child back (``bot.services.erased_children``).
Exit status: 0 erased; 1 no such child, several match, an open incident, or not confirmed.
"""

from __future__ import annotations

import argparse
import sys

from bot.messages.prompt import N_


def add_parser(sub: argparse._SubParsersAction) -> None:
    """The ``erase`` sub-command's arguments."""
    p = sub.add_parser("erase", help="erase a child's record on request (keeps aggregate counts)")
    p.add_argument("child", help="name, student number or #id of the child")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")


def cmd_erase(args: argparse.Namespace) -> int:
    """Erase one child's record after confirmation. Returns the exit status."""
    from bot.bootstrap import build, make_media_store
    from bot.commands.output import one_child, say
    from bot.config import load_settings
    from bot.i18n import gettext
    from bot.services import consent_report, retention
    from bot.store.schema import prepare_database

    settings = load_settings()
    locale = settings.default_locale
    prepare_database(settings.database_url)
    app = build(settings)
    try:
        with app.uow() as uow:
            child = one_child(locale, args.child, [c for c in consent_report.find_children(
                uow, args.child, active_only=False) if c.name != retention.ERASED_NAME])
            if child is None:
                return 1
            if retention.has_open_incident(uow.session, child.id):
                say(locale, N_("{name} has an open incident: close it first, then erase the record."), sys.stderr,
                    name=child.name)
                return 1
            say(locale, N_("This erases {name} ({class_name}), student number {student_no}: the name and archive, "
                           "the links to guardians, parents and helpers, talk notes, check-in texts, task details, "
                           "incident descriptions, and letter photos and replies. Only counts for the school's "
                           "figures remain. It cannot be undone."), name=child.name, class_name=child.class_name or "—",
                student_no=child.student_no)
            if not args.yes:
                typed = input(gettext(locale, N_("Type the child's name to confirm: ")))
                if typed.strip() != child.name:
                    say(locale, N_("Not confirmed: nothing was erased."), sys.stderr)
                    return 1
            relatives = retention.erase_child(uow, child_id=child.id, now=app.clock.now(),
                                              media=make_media_store(settings))
            uow.commit()
            say(locale, N_("Erased: the record of child #{id}."), id=child.id)
            say(locale, N_("Relatives erased with it (related to no other child, no staff role): {count}."),
                count=relatives)
            return 0
    finally:
        app.engine.dispose()
