"""``guanai status``: the delivery's health for an operator, as ``/healthz`` reports it (issue 7 item 7).

Prints each worker part's last sign of life and progress (the outbox sender,
the escalator, the scheduler), the age of the oldest urgent message still
waiting, how many messages wait for the person to write, what is wrong, and
the schools whose check-ins got no answer this week. Text in
``GUANAI_DEFAULT_LOCALE``. Exit status: 0 healthy; 1 failing.
"""

from __future__ import annotations

import argparse

from bot.messages.prompt import N_

WORKER_LINE = N_("{worker} ({role}): last sign of life {beat} s ago, last progress {progress} s ago")
WORKER_NO_PROGRESS = N_("{worker} ({role}): last sign of life {beat} s ago, no progress yet")
NO_WORKERS = N_("No worker has written a heartbeat in the last day: is guanai run running?")
OLDEST_URGENT = N_("Oldest urgent message waiting: due {seconds} s ago.")
NO_URGENT = N_("No urgent message is waiting.")
WAITING_FOR_PERSON = N_("Messages waiting for the person to write (WeChat's 48-hour window): {count}")
STATUS_OK = N_("Status: ok")
STATUS_FAILING = N_("Status: failing")


def cmd_status(args: argparse.Namespace) -> int:
    """Print the delivery's health. Returns 0 when healthy, 1 when failing."""
    from bot.bootstrap import build
    from bot.commands.output import say
    from bot.config import load_settings
    from bot.services import health
    from bot.store.schema import prepare_database

    settings = load_settings()
    locale = settings.default_locale
    prepare_database(settings.database_url)
    container = build(settings)
    try:
        report = health.check(container.uow, now=container.clock.now(), settings=settings)
    finally:
        container.engine.dispose()
    now = report.checked_at
    for part in report.parts:
        beat = int((now - part.beat_at).total_seconds())
        if part.progress_at is None:
            say(locale, WORKER_NO_PROGRESS, worker=part.worker, role=part.role, beat=beat)
        else:
            say(locale, WORKER_LINE, worker=part.worker, role=part.role, beat=beat,
                progress=int((now - part.progress_at).total_seconds()))
    if not report.parts:
        say(locale, NO_WORKERS)
    if report.oldest_urgent_due is None:
        say(locale, NO_URGENT)
    else:
        say(locale, OLDEST_URGENT, seconds=int((now - report.oldest_urgent_due).total_seconds()))
    if report.waiting_for_person:
        say(locale, WAITING_FOR_PERSON, count=report.waiting_for_person)
    for problem in report.problems:
        say(locale, problem.message_id, **problem.params)
    for school, count in sorted(report.silent_schools.items()):
        say(locale, health.SCHOOL_SILENT, school=school, count=count)
    say(locale, STATUS_OK if report.ok else STATUS_FAILING)
    return 0 if report.ok else 1
