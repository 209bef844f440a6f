"""`guanai demo`: set up the sample school on a local SQLite file and chat in the terminal.

The database ``guanai-demo.db`` in the working directory is made afresh on
each run (``--database URL`` uses and keeps another one). The roster is the
synthetic sample school: ``--roster FILE``, else ``GUANAI_SAMPLE_ROSTER``,
else ``../shared/data/roster-sample.xlsx`` next to the working directory or
to this checkout, else the copy shipped in the package (``bot/samples``). Input is read from the terminal or a pipe.

The terminal is the chat: log records (ids only, in English, for whoever runs
the bot) go to ``guanai-demo.log`` (mode 0600) in the working directory, never between the
messages. What a school must act on reaches its admins as a message in their
language (e.g. a year without official holiday data).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.messages.prompt import N_, msg, plural, text

EXIT_OK, EXIT_SETUP = 0, 2
DEMO_DB = "guanai-demo.db"
DEMO_LOG = "guanai-demo.log"


PACKAGED_SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "roster-sample.xlsx"
"""The synthetic sample school shipped with the package (a copy of ``../shared/data/roster-sample.xlsx``):
``guanai demo`` works on a fresh machine, from any directory."""


def find_sample_roster(explicit: str | None) -> Path | None:
    """The roster the demo imports, or None when none of the usual places has it."""
    if explicit:  # a file the person named must be that file, never silently the sample
        return Path(explicit) if Path(explicit).is_file() else None
    candidates = [os.environ.get("GUANAI_SAMPLE_ROSTER")]
    if candidates[0]:
        return Path(candidates[0]) if Path(candidates[0]).is_file() else None
    name = Path("shared") / "data" / "roster-sample.xlsx"
    candidates += [str(Path.cwd().parent / name), str(Path.cwd() / name),
                   str(Path(__file__).resolve().parents[3] / name), str(PACKAGED_SAMPLE)]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def cmd_demo(args: argparse.Namespace) -> int:
    """Run the demo; returns the exit code (2 when the roster or database cannot be set up)."""
    from bot import logsafety

    # Without a handler, Python prints warnings to stderr, i.e. into the chat: keep them in a file.
    from bot.adapters.private_files import PrivateLogHandler

    handler = PrivateLogHandler(DEMO_LOG, encoding="utf-8", delay=True)  # 0600, like the database next to it
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    factory = logging.getLogRecordFactory()
    logsafety.install()  # ids only in the file too (docs/privacy.md)
    try:
        return _demo(args)
    finally:
        logging.setLogRecordFactory(factory)
        logging.getLogger().removeHandler(handler)
        handler.close()


def _demo(args: argparse.Namespace) -> int:
    from bot.bootstrap import build, make_demo
    from bot.commands.output import role_list, say
    from bot.config import load_settings
    from bot.domain.clock import SystemClock
    from bot.handlers.console.demo import DemoClock
    from bot.services import demo as demo_service
    from bot.services.invites import AmbiguousPerson, PersonNotFound
    from bot.store.schema import prepare_database

    overrides: dict[str, object] = {"tick_seconds": 5.0}
    if args.lang:
        overrides["default_locale"] = args.lang
    url = args.database
    if url is None:
        db = Path(DEMO_DB)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{db.resolve()}"
    # The dashboard is served from the demo (a free local port, printed) so that /web's link opens: a principal
    # trying the demo at a terminal clicks it (fix9h). Piped input (scripts, tests) serves it only with --web.
    serve = args.web if getattr(args, "web", None) is not None else sys.stdin.isatty()
    port = _free_port() if serve else None
    if port is not None:
        overrides["web_base_url"] = f"http://127.0.0.1:{port}"
    else:
        overrides["web_served"] = False  # /web says to run guanai demo --web, never a link nothing opens (fix6w)
    settings = load_settings(database_url=url, **overrides)
    locale = settings.default_locale
    roster = find_sample_roster(args.roster)
    if roster is None:
        if args.roster or os.environ.get("GUANAI_SAMPLE_ROSTER"):
            say(locale, N_("The roster {file} was not found."), sys.stderr,
                file=text(args.roster or os.environ.get("GUANAI_SAMPLE_ROSTER", "")))
        else:
            say(locale, N_("The sample roster was not found. Pass --roster FILE or set GUANAI_SAMPLE_ROSTER."),
                sys.stderr)
        return EXIT_SETUP
    start = None
    if args.at:
        try:
            start = datetime.strptime(args.at, "%Y-%m-%d %H:%M").replace(tzinfo=ZoneInfo(settings.timezone))
        except ValueError:
            say(locale, N_("--at needs a school time written as YYYY-MM-DD HH:MM, for example 2026-12-04 17:55."),
                sys.stderr)
            return EXIT_SETUP
    prepare_database(url)
    # The dashboard's authenticator codes come from a phone on real time, whatever --at and :wait say.
    container = build(settings, clock=DemoClock(start), code_clock=SystemClock())
    try:
        with container.uow() as uow:
            existing = demo_service.school_on_record(uow)
        if existing is not None:  # a database that holds a school is used as it is, never imported over (issue 9)
            from sqlalchemy.engine import make_url

            message_id, params = plural(
                "Demo: using the database {url} as it is ({school}, {count} child); nothing was imported into it. "
                "To bring a roster into it, run guanai import FILE.",
                "Demo: using the database {url} as it is ({school}, {count} children); nothing was imported into "
                "it. To bring a roster into it, run guanai import FILE.", existing[1],
                url=text(make_url(url).render_as_string(hide_password=True)), school=text(existing[0]),
                count=existing[1])
            say(locale, message_id, **params)
        elif not _imported(container, roster, settings, locale):
            return EXIT_SETUP
        with container.uow() as uow:
            if args.lang:
                demo_service.set_school_locale(uow, args.lang)
            people = demo_service.bind_console_accounts(uow, now=container.clock.now())
            entered = 0 if existing else demo_service.record_sample_consent(uow, now=container.clock.now())
            uow.commit()
        if entered:  # the summary above said how many had consent: say what the demo did about the rest
            say(locale, N_("Demo: the sample school's signed paper consent forms are now entered for {count} "
                           "children, so talks and check-ins can be tried."), count=entered)
        try:
            with container.uow() as uow:
                persona = (demo_service.find_persona(uow, args.as_person) if args.as_person
                           else demo_service.default_persona(uow))
        except PersonNotFound:
            say(locale, N_("Nobody called {name} in the demo school."), sys.stderr, name=text(args.as_person))
            return EXIT_SETUP
        except AmbiguousPerson as exc:
            options = "; ".join(
                f"#{c.id} {c.name} ({role_list(locale, c.roles)}) {c.masked_phone or ''}".strip()
                for c in exc.candidates
            )
            say(locale, N_("Several people match {name}: {options}. Use --as #id."), sys.stderr,
                name=text(args.as_person), options=text(options))
            return EXIT_SETUP
        if port is not None:
            _serve_dashboard(container, port)
            say(locale, N_("Demo: the dashboard is served at {url} — send /web (后台) as a principal or admin for a "
                           "sign-in link."), url=text(f"{settings.web_url}/web"))
        else:
            say(locale, N_("Demo: the dashboard is not served (the input is not a terminal): run guanai demo --web "
                           "to open /web's sign-in links here."), sys.stderr)
        demo = make_demo(container, sys.stdout, persona, people, show_all=args.all)
        try:
            asyncio.run(demo.run(sys.stdin, sys.stdin.isatty()))
        except KeyboardInterrupt:
            pass
    finally:
        container.engine.dispose()
    return EXIT_OK


def _imported(container: Any, roster: Path, settings: Any, locale: str) -> bool:
    """Import ``roster`` into the demo's new database and print the summary; False when it cannot be imported."""
    from bot.adapters.roster_files import RosterLimits
    from bot.commands.importing import print_report
    from bot.commands.output import say
    from bot.config import roster_limits
    from bot.domain.roster import RosterFileError
    from bot.services.roster import import_roster

    try:
        with container.uow() as uow:
            report = import_roster(uow, roster, now=container.clock.now(), skip_invalid=True,
                                   default_timezone=settings.timezone, limits=RosterLimits(**roster_limits(settings)))
    except RosterFileError as exc:
        say(locale, N_("Cannot import {file}: {reason}"), sys.stderr, file=text(roster.name),
            reason=msg(exc.message_id, **exc.params))
        return False
    print_report(report, roster, locale)
    return True


def _free_port() -> int:
    """A free TCP port on 127.0.0.1 (the kernel's pick)."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve_dashboard(container: object, port: int) -> None:
    """Serve the dashboard on 127.0.0.1:``port`` in a daemon thread for the demo's lifetime (its own clock)."""
    import threading

    import uvicorn

    from bot.bootstrap import Container, make_web_app

    assert isinstance(container, Container)  # noqa: S101 — typed loosely to keep imports late
    config = uvicorn.Config(make_web_app(container), host="127.0.0.1", port=port, lifespan="off", log_level="warning")
    threading.Thread(target=uvicorn.Server(config).run, name="demo-dashboard", daemon=True).start()
