"""``guanai web``: the dashboard alone (no chat channel, no scheduler), and sign-in links from the server.

::

    guanai web                 # serve the web app (dashboard, health) on GUANAI_HTTP_HOST:GUANAI_HTTP_PORT
    guanai web --link NAME     # print a one-time sign-in link for a person (name, phone or #id)

``--link`` is for a school that has no chat channel yet, or an admin at the
server; everyone else sends ``/web`` (后台) in chat. Exit status 0 done, 1 the
person is unknown, ambiguous or not someone the dashboard is for.
"""

from __future__ import annotations

import argparse
import sys


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``web`` sub-command."""
    web = sub.add_parser("web", help="serve the dashboard alone, or print a sign-in link (--link NAME)")
    web.add_argument("--link", metavar="PERSON", help="print a one-time sign-in link for this person")


def cmd_web(args: argparse.Namespace) -> int:
    """``guanai web``."""
    import logging

    from bot import bootstrap
    from bot.config import load_settings
    from bot.store.schema import prepare_database

    settings = load_settings()
    prepare_database(settings.database_url)
    container = bootstrap.build(settings)
    try:
        if args.link:
            return _link(container, args.link)
        import uvicorn

        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        app = bootstrap.make_web_app(container)
        uvicorn.run(app, host=settings.http_host, port=settings.http_port, lifespan="off", log_level="info")
        return 0
    finally:
        container.engine.dispose()


def _link(container: object, query: str) -> int:
    from bot.bootstrap import Container
    from bot.commands.output import say
    from bot.messages.prompt import N_
    from bot.services import web_auth
    from bot.services.invites import find_people

    assert isinstance(container, Container)  # noqa: S101 — typed loosely to keep imports late
    locale = container.settings.default_locale
    with container.uow() as uow:
        people = find_people(uow, query)
        if len(people) != 1:
            say(locale, N_('Nobody matches "{query}". Check the name, or give the phone number.') if not people
                else N_('Several people match "{query}":'), sys.stderr, query=query)
            return 1
        person = people[0]
        if not web_auth.may_sign_in(person.role_set):
            say(locale, N_("The dashboard is for the school's leaders and admins and for the education bureau and "
                           "town government."), sys.stderr)
            return 1
        token = web_auth.create_link(uow, person.id, container.clock.now())
        uow.commit()
    say(locale, N_("Your sign-in link to the dashboard. It works once, within 15 minutes; do not pass it on:\n{url}"),
        url=f"{container.settings.web_url}/web/login/{token}")
    return 0
