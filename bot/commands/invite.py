"""``guanai invite PERSON``: print a one-time invite code and the Telegram deep link.

PERSON is a name, a phone number (region CN by default) or ``#<id>``. The
text is printed in ``GUANAI_DEFAULT_LOCALE``; the expiry is shown in the
person's school zone. Exit status 0 when a code was issued, 1 when nobody or
several people match (the candidates are listed with masked phone numbers so
the admin can run the command again with the phone or the ``#id``).
"""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from typing import TextIO

from bot.flows.prompt import N_

START_LINK = "https://t.me/{username}?start={code}"


def _say(locale: str, message_id: str, out: TextIO | None = None, **params: object) -> None:
    from bot.i18n import gettext

    # sys.stdout is looked up per call, not bound at import (it may be replaced, e.g. by a pager or a test).
    print(gettext(locale, message_id).format(**params), file=out or sys.stdout)


def _roles(locale: str, roles: tuple[str, ...]) -> str:
    from bot.i18n import gettext
    from bot.services.identity import ROLE_LABELS

    if not roles:
        return gettext(locale, N_("no role"))
    sep = "、" if locale == "zh_Hans" else ", "
    return sep.join(gettext(locale, ROLE_LABELS[r]) if r in ROLE_LABELS else r for r in roles)


def cmd_invite(args: argparse.Namespace) -> int:
    """Issue an invite for ``args.person`` and print it. Returns the exit status."""
    from bot.bootstrap import build
    from bot.config import load_settings
    from bot.i18n import format_when, gettext
    from bot.services.identity import AmbiguousPerson, PersonNotFound, create_invite
    from bot.store.schema import prepare_database

    settings = load_settings()
    locale = settings.default_locale
    prepare_database(settings.database_url)
    app = build(settings)
    try:
        with app.uow() as uow:
            try:
                issued = create_invite(
                    uow,
                    query=args.person,
                    now=app.clock.now(),
                    ttl=timedelta(hours=settings.invite_ttl_hours),
                )
            except PersonNotFound:
                _say(locale, N_('Nobody matches "{query}". Check the name, or give the phone number.'),
                     sys.stderr, query=args.person)
                return 1
            except AmbiguousPerson as many:
                _say(locale, N_('Several people match "{query}":'), sys.stderr, query=args.person)
                for c in many.candidates:
                    _say(locale, N_("  #{id} {name} ({roles}), phone {phone}"), sys.stderr, id=c.id, name=c.name,
                         roles=_roles(locale, c.roles),
                         phone=c.masked_phone or gettext(locale, N_("none on record")))
                _say(locale, N_("Run the command again with the phone number or the #id, for example: "
                                "guanai invite '#{id}'"), sys.stderr, id=many.candidates[0].id)
                return 1
            uow.commit()
    finally:
        app.engine.dispose()

    _say(locale, N_("Invite for {name} ({roles})"), name=issued.person_name, roles=_roles(locale, issued.roles))
    _say(locale, N_("Code: {code} (works once)"), code=issued.code)
    _say(locale, N_("Valid until: {expires}"), expires=format_when(issued.expires_at, locale, issued.timezone))
    username = settings.telegram_bot_username.strip().lstrip("@")
    if username:
        _say(locale, N_("Telegram link: {link}"), link=START_LINK.format(username=username, code=issued.code))
    else:
        _say(locale, N_("No Telegram link: the bot's username is not set. Set GUANAI_TELEGRAM_BOT_USERNAME "
                        "to the bot's username (without @) to print one."))
    _say(locale, N_("Or send it in a private chat with the bot: /start {code}"), code=issued.code)
    _say(locale, N_("On WeChat, send: 绑定 {code}"), code=issued.code)
    return 0
