"""Questions about an incident the person is now kept away from: withdrawn from their chat (fix9w).

张强 was sent the alert that 杨秀云 is hurt; then the teacher left him out of the report (排除某人). His chat still
held the alert as the question shown: his ``1`` read "that button is no longer valid" (the alert had been real),
and the Friday check-in queued behind it was held "until the incident about 杨秀云 is closed". Now, at his next
message, every question about an incident he is kept away from
(:func:`bot.services.incident_roles.kept_away_ids`) leaves his agenda first: nothing acknowledges it, nothing
names it. When it was the question shown, a number or an acknowledgement (``1``, ``收到``, ``好的``) was meant for
it: it answers nothing else, and the question waiting behind it comes back, asked again with its choices
(:func:`bot.flows.agenda.ask_next`); with nothing waiting, the words are handled as with no question shown.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.flows import typed as typed_answers
from bot.flows import words as everyday
from bot.flows.common import Ctx
from bot.messages import payloads
from bot.messages.prompt import Prompt
from bot.services.incident_roles import kept_away_ids


def _incidents(entry: dict[str, object]) -> set[int]:
    found: set[int] = set()
    for raw in entry.get("payloads") or ():  # type: ignore[attr-defined]
        incident_id = getattr(payloads.decode(str(raw)), "incident_id", None)
        if isinstance(incident_id, int):
            found.add(incident_id)
    return found


def withdraw(ctx: Ctx) -> bool:
    """Drop the chat's questions about incidents the person is kept away from; whether the one shown was one.

    Only questions shown outside a flow carry an incident's buttons (an alert, a reminder, a notice's Close).
    """
    person_id = ctx.person_id
    items = ctx.conv.agenda
    if person_id is None or not items:
        return False
    gone: dict[int, bool] = {}
    kept: list[dict[str, object]] = []
    for entry in items:
        about = _incidents(entry) if entry.get("kind") == "offer" else set()
        for incident_id in about - gone.keys():
            gone[incident_id] = person_id in kept_away_ids(ctx.uow, incident_id)
        if not any(gone.get(i) for i in about):
            kept.append(entry)
    if len(kept) == len(items):
        return False
    was_shown = kept[:1] != items[:1]
    ctx.conv.agenda = kept
    return was_shown


def handle(ctx: Ctx, typed: str | None, shown_withdrawn: bool, then: Callable[[], list[Prompt]]) -> list[Prompt]:
    """A reply meant for a withdrawn question shown last: nothing answered, the next question back; else ``then``.

    Args:
        ctx: the update (after :func:`withdraw`).
        typed: the typed text (None: a button, which answers its own question only).
        shown_withdrawn: :func:`withdraw` dropped the question shown last.
        then: the usual handling.

    Returns:
        No prompts when a number or an acknowledgement met a withdrawn question and another question waits: the
        runner then asks that one again (:func:`bot.flows.agenda.finish_turn`); else what ``then`` returns.
    """
    if not shown_withdrawn or typed is None or not ctx.conv.agenda or ctx.conv.flow:
        return then()
    if typed_answers.number(typed) is None and not everyday.is_acknowledgement(ctx.locale, typed):
        return then()
    return []
