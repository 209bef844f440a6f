"""Cancel and back words typed instead of ``取消`` (issue 6 item 1, DESIGN.md "Conversations").

A teacher who types ``算了`` at "Write your answer to 张强" means "never mind",
never the words to send: a grandfather once received 王老师's "算了" as the
answer to his sick-child message (found by a trial). So, wherever a flow's
question is shown (or a check-in waits) and no choice of it is picked by the
word:

* a **cancel word** from the catalogs (``取消``, ``算了``, ``不回了``,
  ``never mind`` …) is ``/cancel`` (:mod:`bot.flows.cancelling`);
* a **back word** (``返回``, ``上一步``, ``back``) goes back one question in a
  flow that has steps (a talk card, an incident report: their ``back``); where
  there is no step to go back to, it cancels like a cancel word.

A word that picks a choice answers it first: ``算了`` at a talk's note is
Skip, at the answer to a family Cancel (:data:`bot.flows.words.LABEL_WORDS`).
"""

from __future__ import annotations

from bot.flows import agenda as agenda_flow
from bot.flows import words as everyday
from bot.flows.common import Ctx
from bot.messages import payloads

BACK = "<back>"
"""The argument of the ``cancel`` command a back word becomes (never typed: ``取消 <back>`` is no name)."""


def command(ctx: Ctx, typed: str) -> tuple[str, str] | None:
    """``("cancel", "")`` or ``("cancel", BACK)`` for a bare cancel or back word here; None otherwise."""
    if not (_in_flow(ctx) or checkin_waiting(ctx) is not None) or agenda_flow.answers_current(ctx, typed):
        return None
    if everyday.matches(ctx.locale, "cancel", typed):
        return "cancel", ""
    if everyday.matches(ctx.locale, "back", typed):
        return "cancel", BACK
    return None


def _in_flow(ctx: Ctx) -> bool:
    top = agenda_flow.current(ctx)
    return bool(ctx.conv.flow) and (top is None or top["kind"] in ("flow", "saved"))


def checkin_waiting(ctx: Ctx) -> int | None:
    """The check-in whose question is the one shown (outside a flow), else None."""
    top = agenda_flow.current(ctx)
    if top is None or top["kind"] != "offer":
        return None
    for payload in top.get("payloads") or ():
        pressed = payloads.decode(payload)
        if isinstance(pressed, payloads.CheckinPress):
            return pressed.checkin_id
    return None
