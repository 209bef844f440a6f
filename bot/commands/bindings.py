"""``guanai bindings PERSON [--confirm ID]`` and ``guanai unbind PERSON ID|all``: a person's chat accounts.

PERSON is a name, a phone number or ``#<id>``, as for ``guanai invite``.
``bindings`` lists the person's linked accounts with their ids (channel, bound
at, last used, awaiting confirmation); ``--confirm ID`` confirms a binding that
waits for the school (``GUANAI_CONFIRM_STAFF_BINDINGS``) — the way to confirm a
school's first admin, whom nobody can confirm in chat. ``unbind`` removes one
account (by its id) or all of them (``all``); the removed account and the
person's remaining accounts are told when the outbox next sends. Text is
printed in ``GUANAI_DEFAULT_LOCALE``, times in the person's school zone.
Exit status: 0 done; 1 nobody or several people match, or no such account.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from bot.messages.prompt import N_, plural

if TYPE_CHECKING:
    from bot.services.ports import UnitOfWork
    from bot.store.models import Person


def _person(uow: UnitOfWork, locale: str, query: str) -> Person | None:
    """The one person ``query`` names, or None after saying why not (nobody, or namesakes listed)."""
    from bot.commands.output import role_list, say
    from bot.i18n import gettext
    from bot.services.identity import find_people, mask_phone, sorted_roles

    people = find_people(uow, query)
    if not people:
        say(locale, N_('Nobody matches "{query}". Check the name, or give the phone number.'), sys.stderr,
            query=query)
        return None
    if len(people) > 1:
        say(locale, N_('Several people match "{query}":'), sys.stderr, query=query)
        for p in people:
            say(locale, N_("  #{id} {name} ({roles}), phone {phone}"), sys.stderr, id=p.id, name=p.name,
                roles=role_list(locale, sorted_roles(p.role_set)),
                phone=mask_phone(p.phone) or gettext(locale, N_("none on record")))
        return None
    return people[0]


def cmd_bindings(args: argparse.Namespace) -> int:
    """List (and with ``--confirm`` confirm) a person's bindings. Returns the exit status."""
    from bot.bootstrap import build
    from bot.commands.output import role_list, say
    from bot.config import load_settings
    from bot.i18n import format_when, gettext
    from bot.messages.labels import CHANNEL_LABELS
    from bot.services import bindings
    from bot.services.identity import sorted_roles
    from bot.store.schema import prepare_database

    settings = load_settings()
    locale = settings.default_locale
    prepare_database(settings.database_url)
    app = build(settings)
    try:
        with app.uow() as uow:
            person = _person(uow, locale, args.person)
            if person is None:
                return 1
            zone = bindings.zone_of(uow, person.school_id, settings.timezone)
            if args.confirm is not None:
                b = bindings.binding(uow, args.confirm)
                if b is None or b.person_id != person.id or not b.pending:
                    say(locale, N_("{name} has no account {id} waiting for confirmation."), sys.stderr,
                        name=person.name, id=args.confirm)
                    return 1
                bindings.decide(uow, binding_id=b.id, epoch=b.epoch, confirm=True, admin=None, now=app.clock.now())
                uow.commit()
                say(locale, N_("Confirmed: account [{id}] of {name}."), id=b.id, name=person.name)
            accounts = bindings.bindings_of(uow, person.id)
            if not accounts:
                say(locale, N_("{name} has no linked account."), name=person.name)
                return 0
            say(locale, N_("Accounts linked to {name} ({roles}):"), name=person.name,
                roles=role_list(locale, sorted_roles(person.role_set)))
            for b in accounts:
                channel = gettext(locale, CHANNEL_LABELS.get(b.channel, b.channel))
                bound = format_when(b.bound_at, locale, zone)
                if b.pending:
                    say(locale, N_("  [{id}] {channel}, linked {bound}, awaiting confirmation"), id=b.id,
                        channel=channel, bound=bound)
                    continue
                used = format_when(b.last_seen_at, locale, zone) if b.last_seen_at else gettext(locale, N_("never"))
                say(locale, N_("  [{id}] {channel}, linked {bound}, last used: {used}"), id=b.id, channel=channel,
                    bound=bound, used=used)
            return 0
    finally:
        app.engine.dispose()


def cmd_unbind(args: argparse.Namespace) -> int:
    """Remove one binding (by id) or all bindings of a person. Returns the exit status."""
    from bot.bootstrap import build
    from bot.commands.output import say
    from bot.config import load_settings
    from bot.services import bindings
    from bot.services.bindings import RemovedBy
    from bot.store.schema import prepare_database

    settings = load_settings()
    locale = settings.default_locale
    prepare_database(settings.database_url)
    app = build(settings)
    try:
        with app.uow() as uow:
            person = _person(uow, locale, args.person)
            if person is None:
                return 1
            now = app.clock.now()
            which = str(args.account).strip().lower()
            if which in ("all", "全部"):
                removed = len(bindings.remove_all(uow, person_id=person.id, now=now, by=RemovedBy.SCHOOL))
            else:
                b = bindings.binding(uow, int(which)) if which.isascii() and which.isdigit() and len(which) <= 9 \
                    else None
                removed = 0
                if b is not None and b.person_id == person.id:
                    removed = int(bindings.remove(uow, binding_id=b.id, now=now, by=RemovedBy.SCHOOL) is not None)
            if not removed:
                say(locale, N_('Nothing to unlink: run guanai bindings "{query}" to list the accounts.'), sys.stderr,
                    query=args.person)
                return 1
            uow.commit()
            message_id, params = plural("Unlinked {count} account of {name}.", "Unlinked {count} accounts of {name}.",
                                        removed, count=removed, name=person.name)
            say(locale, message_id, **params)
            return 0
    finally:
        app.engine.dispose()
