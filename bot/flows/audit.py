"""/audit NAME (审计): a school admin lists who read or changed a child's record (issue 10, item 3).

Only the school's admins and leaders may list it, for children of their own
school; namesakes are asked apart by class. The listing itself is recorded.
"""

from __future__ import annotations

from enum import StrEnum

from bot.domain.enums import ADMIN_ROLES
from bot.domain.privacy import AuditAction
from bot.flows import pick
from bot.flows.common import INVALID_BUTTON, Ctx, say
from bot.messages.labels import AUDIT_CHANNEL_LABELS
from bot.messages.prompt import N_, Prompt, dt, msg, plural, text
from bot.services import audit
from bot.services.access import ChildRef, Purpose
from bot.services.audit import ACTION_LABELS, COMMAND_LINE

FLOW = "audit"


class State(StrEnum):
    """The flow's one question: which child (namesakes, or no name given)."""

    PICK = "pick"


ADMIN_ONLY = N_("Only school admins can see who read or changed a child's record.")
ASK_NAME = N_("Whose record? Send the child's name.")
EMPTY = N_("Nobody has read or changed {child}'s record yet.")
LINE = N_("· {at} {actor} — {action} ({channel})")


def command(ctx: Ctx, name: str) -> list[Prompt]:
    """``/audit NAME``: the child's audit entries, or which child."""
    if not ADMIN_ROLES & ctx.bound().roles:
        ctx.finish()
        return [say(ADMIN_ONLY)]
    if not name.strip():
        return [ctx.ask(FLOW, State.PICK, ASK_NAME, free_text=True)]
    return on_text(ctx, name) or []


def on_text(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """A child's name: the entries, or which of several namesakes."""
    children = pick.by_name(ctx, typed, Purpose.VIEW)
    if not children:
        ctx.finish()
        return [say(pick.NOT_FOUND, name=text(typed.strip()))]
    if len(children) > 1:
        return [pick.ask_which(ctx, FLOW, State.PICK, typed.strip(), children)]
    return _show(ctx, children[0])


def on_choice(ctx: Ctx, value: str) -> list[Prompt]:
    """A namesake picked."""
    child = pick.by_choice(ctx, value, Purpose.VIEW)
    if child is None or not ADMIN_ROLES & ctx.bound().roles:
        ctx.finish()
        return [say(INVALID_BUTTON)]
    return _show(ctx, child)


def _show(ctx: Ctx, child: ChildRef) -> list[Prompt]:
    ctx.finish()
    actor = ctx.bound()
    total = audit.count(ctx.uow, child.id, reader_id=actor.person_id)  # never about what is kept from them
    shown = audit.entries(ctx.uow, child.id, reader_id=actor.person_id)
    audit.record(ctx.uow, actor_id=actor.person_id, action=AuditAction.VIEW_AUDIT, child_id=child.id,
                 channel=ctx.channel, now=ctx.now)
    if not shown:
        return [say(EMPTY, child=text(child.name))]
    lines = tuple(
        (LINE, {"at": dt(e.at), "actor": text(e.actor) if e.actor else msg(COMMAND_LINE),
                "action": msg(ACTION_LABELS.get(AuditAction(e.action), e.action)),
                "channel": msg(AUDIT_CHANNEL_LABELS.get(e.channel, COMMAND_LINE))})
        for e in shown
    )
    return [Prompt(*plural("Who read or changed {child}'s record ({count} entry):",
                           "Who read or changed {child}'s record ({count} entries, newest first):", total,
                           child=text(child.name), count=total), lines=lines)]


COMMANDS = {"audit": command}
