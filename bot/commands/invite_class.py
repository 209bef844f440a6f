"""``guanai invite --class NAME [--role ROLE] [--sheet FILE.xlsx] [--pending]``: invites in bulk.

Without ``--sheet`` or with ``--pending`` it lists the class's people (by
role) and who has not joined yet. With ``--sheet`` everyone who has not
joined gets a new invite and the printable sheet is written (name, role,
children, masked phone, code, link, validity, QR code) for the class teacher
to hand out: written 0600, every cell defused against formulas, recorded in
the audit log per child it names; ``--sheet`` must name an ``.xlsx`` file
(checked before any invite is made). ``--role`` is a role value (``guardian``, ``parent``,
``helper_teacher``, ``caring_parent``, ``class_teacher``). Exit status 0
done, 1 no such class or role, 2 no such school.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.messages.prompt import N_, plural

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.services.ports import UnitOfWork

START_LINK = "https://t.me/{username}?start={code}"
INVITE_SHEET = "invite_sheet"  # the audit entries' export kind
HEADINGS = (N_("name"), N_("role"), N_("children"), N_("phone"), N_("invite code"), N_("link or message"),
            N_("valid until"), N_("QR code"))


def cmd_invite_class(args: argparse.Namespace) -> int:
    """Run through the calendar commands' school lookup (``--school`` when several)."""
    from bot.commands.calendar import _run

    return _run(args, _body)


def _body(args: argparse.Namespace, uow: UnitOfWork, school_id: int, now: datetime, settings: Settings) -> int:
    from bot.adapters.invite_sheet import SheetRow, write_sheet
    from bot.commands.output import role_list, say, workbook_path
    from bot.domain.enums import Role
    from bot.domain.privacy import AUDIT_CLI
    from bot.i18n import gettext
    from bot.services import audit, invite_sheet

    locale = settings.default_locale
    klass = invite_sheet.find_class(uow, school_id, args.klass)
    if klass is None:
        say(locale, N_("No class called {name}."), sys.stderr, name=args.klass)
        return 1
    if args.role and args.role not in {r.value for r in Role}:
        say(locale, N_("No role {role}: use guardian, parent, helper_teacher, caring_parent or class_teacher."),
            sys.stderr, role=args.role)
        return 1
    members = invite_sheet.people_of_class(uow, klass, args.role or None)
    pending = [m for m in members if not m.joined]
    message_id, params = plural("{class_name}: {count} person, {pending} not joined yet.",
                                "{class_name}: {count} people, {pending} not joined yet.", len(members),
                                class_name=klass.name, count=len(members), pending=len(pending))
    say(locale, message_id, **params)
    for m in pending:
        say(locale, N_("  not joined: {name} ({role}) for {children}, phone {phone}"), name=m.name,
            role=role_list(locale, (m.role,)), children="、".join(m.children) or "—",
            phone=m.masked_phone or gettext(locale, N_("none on record")))
    if not args.sheet or args.pending:
        return 0
    sheet = workbook_path(locale, args.sheet, f"{klass.name}-邀请码.xlsx")
    if sheet is None:
        return 1  # refused before any invite is made
    issued = {i.person_id: i for i in invite_sheet.issue(uow, pending, now=now,
                                                         ttl=timedelta(hours=settings.invite_ttl_hours))}
    username = settings.telegram_bot_username.strip().lstrip("@")
    rows = []
    for m in pending:
        invite = issued[m.person_id]
        link = START_LINK.format(username=username, code=invite.code) if username else f"绑定 {invite.code}"
        rows.append(SheetRow(m.name, role_list(locale, (m.role,)), "、".join(m.children), m.masked_phone or "",
                             invite.code, link,
                             invite.expires_at.astimezone(ZoneInfo(invite.timezone)).replace(tzinfo=None)))
    title = gettext(locale, N_("Invites for {class_name} — each code works once")).format(class_name=klass.name)
    write_sheet(sheet, title, [gettext(locale, h) for h in HEADINGS], rows)  # 0600: live codes, names, phones
    # Audited like every export (issue 10, item 3): one entry per child the sheet names.
    audit.record_export(uow, actor_id=None, school_id=school_id, kind=INVITE_SHEET, channel=AUDIT_CLI, now=now,
                        per_child=True, children=[c for m in pending for c in m.child_ids])
    message_id, params = plural("Wrote {count} invite to {file}.", "Wrote {count} invites to {file}.", len(rows),
                                count=len(rows), file=str(sheet))
    say(locale, message_id, **params)
    return 0
