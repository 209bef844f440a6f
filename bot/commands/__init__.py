"""Implementations of the ``guanai`` sub-commands (one module each)."""

from bot.commands.bindings import cmd_bindings, cmd_unbind
from bot.commands.calendar import cmd_programme, cmd_year
from bot.commands.casework import cmd_aid
from bot.commands.db import cmd_db
from bot.commands.demo import cmd_demo
from bot.commands.family import cmd_family, cmd_rooms
from bot.commands.importing import cmd_import
from bot.commands.invite import cmd_invite
from bot.commands.keys import cmd_keys
from bot.commands.report import cmd_export, cmd_report
from bot.commands.run import cmd_run
from bot.commands.status import cmd_status

__all__ = ["cmd_aid", "cmd_bindings", "cmd_db", "cmd_demo", "cmd_export", "cmd_family", "cmd_import", "cmd_invite",
           "cmd_keys", "cmd_programme", "cmd_report", "cmd_rooms", "cmd_run", "cmd_status", "cmd_unbind", "cmd_year"]
