"""A check-in held for an emergency closed at night waits for the morning (fix6u, a breaker's trial).

王老师 closed the incident about 杨秀云 at 23:00. The close notice said the weekly question would wait for the
night, yet 张强's next message brought it back at once; and his second ``好的`` — after the first had seen the
close — was answered "好的。老师已经收到您的紧急消息。", as if it followed an emergency message of his. A
grandparent expects no question pushed at night: the check-in stays held until the quiet hours end, when a
morning notice carries it back (:func:`bot.services.agenda_return.after_notice`). Until then what he writes is
answered as with no question waiting: ``好的`` sees the close (again, without a second timeline entry), a
number records nothing, and other words go to the class teacher as any family message.
"""

from __future__ import annotations

from typing import Any

from bot.domain.periods import defer_for_quiet_hours
from bot.flows import relay
from bot.flows import typed as typed_answers
from bot.flows import words as everyday
from bot.flows.agenda import offer_choices
from bot.flows.checkin_hold import reader
from bot.flows.closed_seen import SEEN
from bot.flows.common import Ctx, say
from bot.messages.prompt import N_, Prompt, dt, text
from bot.services import incident_open

IN_THE_MORNING = N_("I will ask you the weekly question about {name} in the morning, from {at}.")
NUMBER_AT_NIGHT = N_("That number was not recorded: the incident about {name} is closed, and the weekly question "
                     "about {name} is asked in the morning.")


def at_night(ctx: Ctx, top: dict[str, Any], typed: str, number: int | None) -> list[Prompt] | None:
    """A message at night while the check-in is held for an emergency now closed; None: not so (handled as usual).

    Args:
        ctx: the update.
        top: the current agenda entry.
        typed: the words.
        number: the number typed, if any.
    """
    child_id = top.get("held_child")
    if not top.get("held") or child_id is None \
            or incident_open.open_emergency(ctx.uow, int(child_id), reader_id=reader(ctx)):
        return None
    morning = defer_for_quiet_hours(ctx.now, ctx.timezone, ctx.settings.quiet_start, ctx.settings.quiet_end)
    if morning <= ctx.now:
        return None  # by day the hold is lifted and the check-in asked (bot.flows.checkin_hold.still_held)
    name = text(next((c.name for c in relay.writes_about(ctx) if c.id == int(child_id)), ""))
    later = (IN_THE_MORNING, {"name": name, "at": dt(morning)})
    if number is not None:
        return [say(NUMBER_AT_NIGHT, name=name)]
    if (everyday.is_acknowledgement(ctx.locale, typed) or everyday.says_nothing(typed)
            or typed_answers.matching(ctx, offer_choices(top), typed) is not None):
        return [Prompt(SEEN, {"child": name}, lines=(later,))]  # 好的 again: the close seen, nothing recorded
    return [relay.about_child(ctx, int(child_id), typed.strip())]
