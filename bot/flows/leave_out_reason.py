"""The reason question of leaving someone out of an incident, as other flows read it (split from incident_manage).

Someone picked under 排除某人 after the report is left out at the pick; the reason is asked after
(bot.flows.incident_manage). "Drop it?" (bot.flows.switch) and ``取消`` (bot.flows.cancelling) name that
question and say the person stays left out.
"""

from __future__ import annotations

from typing import Any

from bot.flows.common import say
from bot.messages.prompt import N_, Prompt, msg, text

STAYS_LEFT_OUT = N_("No reason was recorded. {name} stays left out of the incident about {child}: no further "
                    "messages about it.")


def cancelled_reason(values: dict[str, Any]) -> Prompt | None:
    """``取消`` at the reason question: the person picked stays left out, said so (None: not at that question).

    They were left out at the pick (``bot.flows.incident_manage``); "nothing was saved" would be untrue, and
    letting the accused back in because the reporter was interrupted is the unsafe reading for the child (fix9t).
    """
    if not values.get("leaving_out"):
        return None
    return say(STAYS_LEFT_OUT, name=leaving_out(values), child=text(values.get("child", "")))


def reason_pending(values: dict[str, Any]) -> dict[str, Any] | None:
    """What "Drop it?" calls the unfinished reason question (None: not at it): never "closing the incident"."""
    if not values.get("leaving_out"):
        return None
    return msg(N_("the reason why {name} is left out"), name=leaving_out(values))


BACK_TO_REASON = N_("Back to why {name} is left out of the incident about {child}:")


def back_to_reason(flow: str, state: str, values: dict[str, Any]) -> Prompt | None:
    """The context line of the reason question asked again after it was set aside (None: not at it).

    It is no step of closing the incident: "继续结束张三的事件" over "why is 张强 left out?" read as closing (fix9w).
    """
    if flow != "incident_manage" or state != "exclude_reason" or not values.get("leaving_out"):
        return None
    return say(BACK_TO_REASON, name=leaving_out(values), child=text(values.get("child", "")))


def leaving_out(v: dict[str, Any]) -> dict[str, Any]:
    """The person being left out as named to this reader: a name, or a relation only."""
    return v.get("shown", {}).get(v.get("leaving_out", ""), text(v.get("leaving_out_name", "")))
