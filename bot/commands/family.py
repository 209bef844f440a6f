"""``guanai rooms`` and ``guanai family``: the family phone / video rooms, and the family link's figures.

::

    guanai rooms list [--school NAME]
    guanai rooms set NAME [--slots "mon-fri 16:30-17:30/15"] [--kind phone|video] [--keeper PERSON] [--off]
    guanai family report [--from DATE] [--to DATE] [--school NAME]

Exit status 0 done, 1 refused input (nothing written), 2 no such school.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from bot.messages.prompt import N_

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.services.ports import UnitOfWork


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``rooms`` and ``family`` sub-commands."""
    rooms = sub.add_parser("rooms", help="the family phone / video rooms (亲情电话) and their slots")
    rooms_sub = rooms.add_subparsers(dest="rooms_command", required=True)
    listing = rooms_sub.add_parser("list", help="rooms, their slots and keepers")
    setter = rooms_sub.add_parser("set", help="add or change a room")
    setter.add_argument("name")
    setter.add_argument("--slots", help='weekly slots, e.g. "mon-fri 16:30-17:30/15; sat 09:00-10:00/30"')
    setter.add_argument("--kind", choices=("phone", "video"))
    setter.add_argument("--keeper", help="who confirms and records the calls (name, phone or #id); "
                                         "default: the child's class teacher")
    setter.add_argument("--off", action="store_true", help="stop offering this room")
    family = sub.add_parser("family", help="the family link's figures: monthly news, family calls, meetings")
    family_sub = family.add_subparsers(dest="family_command", required=True)
    rep = family_sub.add_parser("report", help="figures for the reports")
    rep.add_argument("--from", dest="first", help="first date (default: a year ago)")
    rep.add_argument("--to", dest="last", help="last date (default: today)")
    for p in (listing, setter, rep):
        p.add_argument("--school", help="school name (needed when the database holds several)")


def cmd_rooms(args: argparse.Namespace) -> int:
    """``guanai rooms list|set``."""
    from bot.commands.calendar import _run

    return _run(args, _rooms)


def cmd_family(args: argparse.Namespace) -> int:
    """``guanai family report``."""
    from bot.commands.calendar import _run

    return _run(args, _report)


def _rooms(args: argparse.Namespace, uow: UnitOfWork, school_id: int, now: datetime, settings: Settings) -> int:
    from bot.commands.output import say
    from bot.domain.call_slots import SlotError
    from bot.services import family_calls, identity

    locale = settings.default_locale
    if args.rooms_command == "set":
        keeper_id = None
        if args.keeper:
            found = [p for p in identity.find_people(uow, args.keeper) if p.school_id == school_id]
            if len(found) != 1:
                say(locale, N_("No single person matches {who}: use a phone number or #id."), sys.stderr,
                    who=args.keeper)
                return 1
            keeper_id = found[0].id
        try:
            family_calls.set_room(uow, school_id=school_id, name=args.name, slots=args.slots, kind=args.kind,
                                  keeper_id=keeper_id, active=not args.off)
        except SlotError as exc:
            say(locale, N_("The slots cannot be read ({reason}). Nothing was changed."), sys.stderr, reason=str(exc))
            return 1
    for room in family_calls.rooms(uow, school_id):
        say(locale, N_("{name} ({kind}): {slots}; confirmed by {keeper}{off}"), name=room.name, kind=room.kind,
            slots=room.slots, keeper=_keeper(uow, room.keeper_id, locale), off="" if room.active else " (off)")
    return 0


def _keeper(uow: UnitOfWork, keeper_id: int | None, locale: str) -> str:
    from bot.i18n import gettext
    from bot.store.models import Person

    person = uow.session.get(Person, keeper_id) if keeper_id else None
    return person.name if person else gettext(locale, N_("the child's class teacher"))


def _report(args: argparse.Namespace, uow: UnitOfWork, school_id: int, now: datetime, settings: Settings) -> int:
    from bot.commands.output import say
    from bot.domain.periods import local_date
    from bot.services import family_report

    today = local_date(now, settings.timezone)
    first = date.fromisoformat(args.first) if args.first else today - timedelta(days=365)
    last = date.fromisoformat(args.last) if args.last else today
    for message_id, params in family_report.lines(uow, school_id, first, last, settings.timezone):
        say(settings.default_locale, message_id, **params)
    return 0
