"""``/report``'s first message: what needs action, in a few lines a cheap phone shows whole (issue 9, fix9y).

A school's ``/report`` ran to about 58 lines (the total, a line per class, a line per teacher): on a small
phone the principal scrolled past the figures that asked something of her. So the reply now opens with a
short message: the title and only the total's figures that are not done — a rate under 100 %, a talk missed,
a child on the dropout watch — then the full figures follow as their own messages (total, per class or per
school, per teacher), each split by the channel to its limit (Telegram 4096 characters, WeChat 2048 bytes:
``bot.handlers.telegram.render``, ``bot.handlers.wechat.render``).

A line is picked by what it *shows*, never by the value behind it: an official's ``(<5)``, ``*`` or band
(``≥96%``) is picked as not done, so being in the summary or not says nothing a hidden figure would not.
"""

from __future__ import annotations

from typing import Any

from bot.messages.prompt import N_, Prompt
from bot.services.figures import Report
from bot.services.figures_text import report_title, unit_lines

NEEDS_ACTION = N_("Needs action:")
ALL_DONE = N_("Nothing needs action: every figure is complete.")
DETAILS_FOLLOW = N_("The full figures follow in the next messages.")

_NOT_ACTIONS = ("• Left-behind children", "• Incidents reported", "• Aid in the roster", "  (")
"""Lines that report, not ask: the left-behind share, incidents reported, aid, and a note under a line."""

_DONE_MARKS = ("—", "0", "(100.0%)")
"""How a figure that asks nothing is shown: nothing owed, a count of zero, a rate complete."""


def _asks(params: dict[str, Any]) -> bool:
    """Whether a line shows some figure that is not done (only its own shown text is read)."""
    shown = [v for v in params.values() if isinstance(v, str)]
    return any(not (v in _DONE_MARKS or v.endswith(_DONE_MARKS[2])) for v in shown)


def summary_prompt(report: Report) -> Prompt:
    """The first message of ``/report``: the title, the total's figures that need action, and what follows."""
    head, params = report_title(report)
    asks = tuple(line for line in unit_lines(report.total, report.official)
                 if not line[0].startswith(_NOT_ACTIONS) and _asks(line[1]))
    lines: tuple[tuple[str, dict[str, Any]], ...] = (
        ((NEEDS_ACTION, {}), *asks) if asks else ((ALL_DONE, {}),))
    return Prompt(head, params, lines=(*lines, (DETAILS_FOLLOW, {})))
