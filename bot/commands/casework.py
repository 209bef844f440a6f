"""``guanai aid import FILE``: an aid ledger (资助台账) into a school.

::

    guanai aid import 资助台账.xlsx [--school NAME] [--skip-invalid]

Columns: 学籍号 (or 姓名 and 班级), 日期, 类别, 金额, 物品, 来源, 发放人. Each row
is added once (re-importing adds nothing). Exit status 0 imported, 1 rows
rejected (nothing written without ``--skip-invalid``), 2 file unusable or no such school.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot.messages.prompt import N_, msg, plural

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.services.ports import UnitOfWork


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``aid`` sub-command."""
    aid = sub.add_parser("aid", help="aid records (资助)")
    aid_sub = aid.add_subparsers(dest="aid_command", required=True)
    imp = aid_sub.add_parser("import", help="an aid ledger from a .xlsx or .csv file")
    imp.add_argument("file")
    imp.add_argument("--school", help="school name (needed when the database holds several)")
    imp.add_argument("--skip-invalid", action="store_true", help="import the good rows and list the bad ones")


def cmd_aid(args: argparse.Namespace) -> int:
    """``guanai aid import``."""
    from bot.commands.calendar import _run

    return _run(args, _import)


def _import(args: argparse.Namespace, uow: UnitOfWork, school_id: int, now: datetime, settings: Settings) -> int:
    from bot.commands.output import say
    from bot.domain.roster import RosterFileError
    from bot.services import aid

    locale = settings.default_locale
    try:
        result = aid.import_aid(uow, Path(args.file), school_id=school_id, now=now, skip_invalid=args.skip_invalid)
    except RosterFileError as exc:
        say(locale, exc.message_id, sys.stderr, **exc.params)
        return 2
    for sheet, row, reason, params in result.rejected:
        say(locale, N_("{sheet}, row {row}: {reason}"), sys.stderr, sheet=sheet, row=row, reason=msg(reason, **params))
    if result.written:
        message_id, params = plural("Aid records: {added} added, {known} already there, {rejected} row rejected.",
                                    "Aid records: {added} added, {known} already there, {rejected} rows rejected.",
                                    len(result.rejected), added=result.added, known=result.known,
                                    rejected=len(result.rejected))
        say(locale, message_id, sys.stdout, **params)
    else:
        say(locale, N_("Nothing was written: fix the rows above, or use --skip-invalid."), sys.stderr)
    return 1 if result.rejected else 0
