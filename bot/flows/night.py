"""When a family's words wait for the morning: the night notice, whatever way the words arrived (issue 6).

A message passed to the class teacher in the quiet hours is held until they
end. The writer is told so, with whom to phone if it cannot wait, whether the
words came as free text (:mod:`bot.flows.relay`) or as a check-in's note or its
help (:mod:`bot.flows.family_notes`): a worry written at night as the note got
no such notice and waited silently until morning (found by a trial user).
Emergency words never wait (:mod:`bot.flows.emergency` sends them at once).
"""

from __future__ import annotations

from bot.domain.periods import defer_for_quiet_hours
from bot.flows.common import Ctx
from bot.messages.prompt import N_, dt, text
from bot.services.emergency_contacts import emergency_contacts

HELD_NIGHT = N_("It is night now: {reader} will see it from {at}. If it is urgent, call 120 (ambulance) or 110 "
                "(police) now, or phone the school.")


def held_for_night(ctx: Ctx, reader: str) -> list[tuple[str, dict[str, object]]]:
    """When the quiet hours hold the message: when its reader sees it, and whom to phone if it cannot wait.

    Args:
        ctx: the writer's turn (its clock and school zone decide whether it is night).
        reader: the name of whoever the message was passed to.

    Returns:
        The lines to add under "passed to …"; none by day.
    """
    start = defer_for_quiet_hours(ctx.now, ctx.timezone, ctx.settings.quiet_start, ctx.settings.quiet_end)
    if start <= ctx.now:
        return []
    lines: list[tuple[str, dict[str, object]]] = [(HELD_NIGHT, {"reader": text(reader), "at": dt(start)})]
    school = emergency_contacts(ctx.uow, ctx.bound().person_id).school_phone
    if school:
        lines.append(school.line())
    return lines
