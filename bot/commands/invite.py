"""``guanai invite PERSON``: print a one-time invite code, the Telegram deep link and a WeChat QR code.

PERSON is a name, a phone number (region CN by default) or ``#<id>``. The
text is printed in ``GUANAI_DEFAULT_LOCALE``; the expiry is shown in the
person's school zone. Exit status 0 when a code was issued, 1 when nobody or
several people match (the candidates are listed with masked phone numbers so
the admin can run the command again with the phone or the ``#id``).

When the WeChat Official Account is configured (``GUANAI_WECHAT_APP_ID`` and
``…_APP_SECRET``), a temporary parametric QR code with the code as its scene
is created for the invite's lifetime (at most WeChat's 30 days) and its image
URL printed; if WeChat cannot make it, a short reason is printed instead and
the exit status stays 0 (the code works without it). The code is printed,
never logged.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.messages.prompt import N_

if TYPE_CHECKING:
    from bot.bootstrap import Container
    from bot.config import Settings

START_LINK = "https://t.me/{username}?start={code}"


def _qr_failure(exc: Exception) -> tuple[str, dict[str, object]]:
    """Why the QR code could not be made, in one short phrase (message id with params filled)."""
    import httpx

    from bot.handlers.wechat.api import ApiError, TokenError

    if isinstance(exc, ApiError):
        if exc.errcode == 48001:  # "api unauthorized": only verified service accounts may create QR codes
            return N_("this account may not create QR codes; a verified service account is needed"), {}
        return N_("WeChat refused it, error {errcode}"), {"errcode": exc.errcode}
    if isinstance(exc, TokenError) and exc.errcode is not None:
        return (N_("WeChat gave no access token, error {errcode}; check the AppID, AppSecret and IP whitelist"),
                {"errcode": exc.errcode})
    if isinstance(exc, httpx.TransportError):
        return N_("the WeChat API could not be reached"), {}
    return N_("WeChat gave an unexpected answer"), {}


def _wechat_qr(settings: Settings, app: Container, code: str, expires_in: timedelta) -> tuple[str | None, str | None]:
    """``(url, None)`` with the QR code's image URL, or ``(None, reason)`` when WeChat could not make it."""
    import httpx

    from bot.bootstrap import make_invite_qr
    from bot.handlers.wechat.api import ApiError, TokenError
    from bot.i18n import gettext

    try:
        url = asyncio.run(make_invite_qr(app, code, expires_in))
    except (ApiError, TokenError, httpx.HTTPError) as exc:
        message_id, params = _qr_failure(exc)
        return None, gettext(settings.default_locale, message_id).format(**params)
    return url, None


def cmd_invite(args: argparse.Namespace) -> int:
    """Issue an invite for ``args.person`` and print it (``--class``: in bulk). Returns the exit status."""
    if getattr(args, "klass", None):
        from bot.commands.invite_class import cmd_invite_class

        return cmd_invite_class(args)
    if not args.person:
        print("guanai invite: a person, or --class NAME", file=sys.stderr)
        return 1
    from bot.bootstrap import build
    from bot.commands.output import role_list, say
    from bot.config import load_settings
    from bot.i18n import format_when, gettext
    from bot.services.invites import AmbiguousPerson, PersonNotFound, create_invite
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
                say(locale, N_('Nobody matches "{query}". Check the name, or give the phone number.'),
                     sys.stderr, query=args.person)
                return 1
            except AmbiguousPerson as many:
                say(locale, N_('Several people match "{query}":'), sys.stderr, query=args.person)
                for c in many.candidates:
                    say(locale, N_("  #{id} {name} ({roles}), phone {phone}"), sys.stderr, id=c.id, name=c.name,
                         roles=role_list(locale, c.roles),
                         phone=c.masked_phone or gettext(locale, N_("none on record")))
                say(locale, N_("Run the command again with the phone number or the #id, for example: "
                                "guanai invite '#{id}'"), sys.stderr, id=many.candidates[0].id)
                return 1
            uow.commit()
        qr_url = qr_failure = None
        if settings.wechat_app_id and settings.wechat_app_secret:
            # After the commit: the invite stands whatever WeChat answers.
            qr_url, qr_failure = _wechat_qr(settings, app, issued.code, issued.expires_at - app.clock.now())
    finally:
        app.engine.dispose()

    say(locale, N_("Invite for {name} ({roles})"), name=issued.person_name, roles=role_list(locale, issued.roles))
    say(locale, N_("Code: {code} (works once)"), code=issued.code)
    say(locale, N_("Valid until: {expires}"), expires=format_when(issued.expires_at, locale, issued.timezone))
    username = settings.telegram_bot_username.strip().lstrip("@")
    if username:
        say(locale, N_("Telegram link: {link}"), link=START_LINK.format(username=username, code=issued.code))
    else:
        say(locale, N_("No Telegram link: the bot's username is not set. Set GUANAI_TELEGRAM_BOT_USERNAME "
                        "to the bot's username (without @) to print one."))
    say(locale, N_("Or send it in a private chat with the bot: /start {code}"), code=issued.code)
    say(locale, N_("On WeChat or WeCom, send: 绑定 {code}"), code=issued.code)
    if qr_url:
        say(locale, N_("Or scan this WeChat QR code (valid as long as the code, at most 30 days): {url}"), url=qr_url)
    elif qr_failure:
        say(locale, N_("The WeChat QR code could not be made ({reason}); the code above still works."),
             reason=qr_failure)
    return 0
