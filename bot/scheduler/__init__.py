"""APScheduler wiring: a periodic tick that only wakes the services (see :mod:`bot.scheduler.jobs`)."""

from bot.scheduler.jobs import TICK_JOB_ID, TickReport, make_scheduler, tick

__all__ = ["TICK_JOB_ID", "TickReport", "make_scheduler", "tick"]
