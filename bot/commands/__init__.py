"""Implementations of the ``guanai`` sub-commands (one module each)."""

from bot.commands.assess import cmd_assess
from bot.commands.audit import cmd_audit
from bot.commands.bindings import cmd_bindings, cmd_unbind
from bot.commands.calendar import cmd_programme, cmd_year
from bot.commands.casework import cmd_aid
from bot.commands.consent import cmd_consent
from bot.commands.db import cmd_db
from bot.commands.demo import cmd_demo
from bot.commands.erase import cmd_erase
from bot.commands.family import cmd_family, cmd_rooms
from bot.commands.importing import cmd_import
from bot.commands.invite import cmd_invite
from bot.commands.keys import cmd_keys
from bot.commands.report import cmd_export, cmd_report
from bot.commands.run import cmd_run
from bot.commands.status import cmd_status
from bot.commands.web import cmd_web

__all__ = ["cmd_aid", "cmd_assess", "cmd_audit", "cmd_bindings", "cmd_consent", "cmd_db", "cmd_demo", "cmd_erase",
           "cmd_export", "cmd_family", "cmd_import", "cmd_invite", "cmd_keys", "cmd_programme", "cmd_report",
           "cmd_rooms", "cmd_run", "cmd_status", "cmd_unbind", "cmd_web", "cmd_year"]
