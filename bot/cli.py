"""The ``guanai`` command and its sub-commands (``guanai --help`` lists them)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any

from bot.messages.prompt import N_


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every sub-command."""
    parser = argparse.ArgumentParser(prog="guanai", description="关爱 guanai — care programme bot")
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="chat in the terminal with the sample school (SQLite)")
    demo.add_argument("--as", dest="as_person", help="name or phone of the person to act as")
    demo.add_argument("--database", help="database URL (default: a fresh SQLite file guanai-demo.db)")
    demo.add_argument("--roster", help="roster file (default: the sample school)")
    demo.add_argument("--lang", choices=["zh_Hans", "en"], help="language of the demo")
    demo.add_argument("--at", help='start the demo clock at this school time, "YYYY-MM-DD HH:MM"')
    demo.add_argument("--web", action=argparse.BooleanOptionalAction, default=None,
                      help="serve the dashboard on a local port for /web's links (default: when typing at a terminal)")
    demo.add_argument("--all", action="store_true",
                      help="print every message in full (default: yours in full, others' summed up in a line)")

    sub.add_parser("run", help="run the bot: Telegram (polling or webhook), scheduler, web app")
    sub.add_parser("status", help="the delivery's health: workers' heartbeats, the oldest urgent message waiting")

    imp = sub.add_parser(
        "import",
        help="import a roster (.xlsx or .csv)",
        description="Import a roster: an .xlsx (all sheets), a .csv (one sheet, UTF-8 or GBK) or a folder of them. "
        "Exit status: 0 all rows imported; 1 rows rejected (nothing written, or with --skip-invalid the good "
        "rows written); 2 the file cannot be imported.",
    )
    imp.add_argument("file", help=".xlsx, .csv or a folder of .csv files")
    imp.add_argument(
        "--skip-invalid",
        action="store_true",
        help="import the good rows and list the bad ones (the exit status is still 1 when rows were rejected)",
    )

    imp.add_argument("--verbose", action="store_true",
                     help="list every pairing cell that matches nobody (by default: one line per name, with its rows)")
    imp.add_argument("--apply-removals", action="store_true",
                     help="children and staff no longer in the file leave (after a confirmation): history kept, "
                          "staff roles and chat access ended, their children and tasks handed on")
    imp.add_argument("--yes", action="store_true", help="with --apply-removals: do not ask for confirmation")
    imp.add_argument("--readmit", action="append", nargs="?", const="", metavar="NAME",
                     help="children and staff who left and are in the file again come back (each recorded): "
                          "all of them, or only those named (--readmit 胥龙 --readmit 唐老师); "
                          "by default their rows are skipped and named")
    imp.add_argument("--restore-erased", action="store_true",
                     help="import again the children erased on request (guanai erase); skipped by default")
    imp.add_argument("--school", help="the school of a file without a school sheet (only its 花名册); "
                                      "default GUANAI_SCHOOL_NAME")

    inv = sub.add_parser("invite", help="print a one-time invite code and Telegram deep link (or a class's sheet)")
    inv.add_argument("person", nargs="?", help="name or phone number")
    inv.add_argument("--class", dest="klass", help="everyone of this class (with --role: of that role)")
    inv.add_argument("--role", help="guardian, parent, helper_teacher, caring_parent or class_teacher")
    inv.add_argument("--sheet", help="write the printable invite sheet (.xlsx) for those not joined yet")
    inv.add_argument("--pending", action="store_true", help="only list who has not joined yet")
    inv.add_argument("--school", help="school name (needed when the database holds several)")

    from bot.commands.audit import add_parser as add_audit_parser
    from bot.commands.calendar import add_parsers
    from bot.commands.casework import add_parsers as add_casework_parsers
    from bot.commands.consent import add_parser as add_consent_parser
    from bot.commands.erase import add_parser as add_erase_parser

    add_parsers(sub)
    add_consent_parser(sub)
    add_audit_parser(sub)
    add_erase_parser(sub)
    from bot.commands.family import add_parsers as add_family_parsers
    add_family_parsers(sub)
    add_casework_parsers(sub)
    from bot.commands.report import add_parser as add_report

    add_report(sub)
    from bot.commands.web import add_parser as add_web

    add_web(sub)
    from bot.commands.assess import add_parser as add_assess

    add_assess(sub)
    binds = sub.add_parser("bindings", help="list a person's linked chat accounts (and confirm a waiting one)")
    binds.add_argument("person", help="name, phone number or #id")
    binds.add_argument("--confirm", type=int, metavar="ID", help="confirm the waiting account with this id")

    unbind = sub.add_parser("unbind", help="unlink one chat account of a person, or all of them")
    unbind.add_argument("person", help="name, phone number or #id")
    unbind.add_argument("account", help="the account id shown by guanai bindings, or all")

    keys = sub.add_parser("keys", help="the data keys that encrypt notes, phones and addresses at rest")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True)
    rotate = keys_sub.add_parser("rotate",
                                 help="make new data and phone-index keys, re-encrypt and re-index everything")
    rotate.add_argument("--forget-old", action="store_true",
                        help="remove the old keys from the key file afterwards (backups made before need them)")
    keys_sub.add_parser("check", help="check that the data key opens the database")

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="apply Alembic migrations")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``guanai`` command. Returns the process exit code.

    No command shows a traceback: a bad setting, a database URL that cannot
    work, an unreachable database and a reader that stops reading
    (``guanai demo | head``) each end with a short message (or quietly) and a
    non-zero status where something failed.
    """
    parser = build_parser()
    words = list(sys.argv[1:] if argv is None else argv)
    parent = _needs_subcommand(parser, words)
    if parent is not None:  # ``guanai year``: the sub-commands' help, not argparse's one-line error
        parent.print_help(sys.stderr)
        return 2
    args = parser.parse_args(words)

    from bot import commands  # imported late: nothing does I/O at import time
    from bot.commands.output import terminal_safe_output
    from bot.i18n import DEFAULT_LOCALE, normalise_locale

    handler = getattr(commands, f"cmd_{args.command}")
    locale = normalise_locale(os.environ.get("GUANAI_DEFAULT_LOCALE"), DEFAULT_LOCALE)
    with terminal_safe_output():  # roster cells and names must not drive the admin's terminal (docs/privacy.md)
        return _run(handler, args, locale)


def _needs_subcommand(parser: argparse.ArgumentParser, words: list[str]) -> argparse.ArgumentParser | None:
    """The command's parser when ``words`` name a command that has sub-commands but none of them."""
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if len(words) != 1 or not actions:
        return None
    command = actions[0].choices.get(words[0])
    if command is None or not any(isinstance(a, argparse._SubParsersAction) for a in command._actions):
        return None
    return command


def _run(handler: Any, args: argparse.Namespace, locale: str) -> int:
    from pydantic import ValidationError
    from sqlalchemy.exc import OperationalError

    from bot.commands.output import database_problem
    from bot.i18n import gettext
    from bot.store.crypto import DataKeyError
    from bot.store.db import DatabaseUrlError

    try:
        return int(handler(args) or 0)
    except ValidationError as exc:
        # A bad GUANAI_… value: name it, without a traceback.
        for error in exc.errors():
            field = "GUANAI_" + "_".join(str(p) for p in error["loc"]).upper()
            print(gettext(locale, N_("Invalid setting {name}: {reason}")).format(name=field, reason=error["msg"]),
                  file=sys.stderr)
        return 2
    except DataKeyError as exc:
        # A missing or wrong data key: say which and where, never a traceback (docs/privacy.md).
        reason = gettext(locale, exc.message_id).format(**exc.params)
        print(gettext(locale, N_("The data key cannot be used: {reason}")).format(reason=reason), file=sys.stderr)
        return 2
    except (DatabaseUrlError, OperationalError) as exc:
        url = getattr(args, "database", None) or os.environ.get("GUANAI_DATABASE_URL", "sqlite:///guanai.db")
        print(database_problem(locale, url, exc), file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (``guanai demo | head``): stop quietly. Python flushes stdout again at exit;
        # point it at /dev/null so that flush cannot fail too (Python docs, "Note on SIGPIPE").
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
