"""The weekly check-in (每周联系): one-tap answer buttons and the optional follow-up.

``ci:<checkin_id>:<g|s|h>`` (decoded by :mod:`bot.messages.payloads`) records the answer; then a short follow-up:
for "needs help" what kind of help (health / study / money / safety / other),
then free text or Skip; for the other answers free text or Skip. The note is
saved with ``record_checkin_note``. ``cin:<checkin_id>:skip`` ends the
follow-up from the check-in message itself. See docs/flows/checkin.md.
"""

from __future__ import annotations

import logging
from enum import StrEnum

from bot.domain.enums import CheckinAnswer
from bot.flows.common import INVALID_BUTTON, Ctx, Option, say, text_problem
from bot.messages.prompt import N_, Prompt, text
from bot.services import checkins
from bot.services.checkin_messages import HELP_KIND_LABELS

log = logging.getLogger(__name__)
FLOW = "checkin"


class State(StrEnum):
    """The flow's states (see its diagram in docs/flows/)."""

    HELP_KIND = "help_kind"
    NOTE = "note"


HELP_KINDS = tuple(Option(label, value) for value, label in HELP_KIND_LABELS.items())
SKIP = Option(N_("Skip"), "skip")
THANKS = N_("Thank you! Your answer is recorded.")


def on_answer(ctx: Ctx, checkin_id: int, answer_value: str) -> list[Prompt]:
    """A one-tap answer button (``answer_value`` a ``CheckinAnswer`` value); starts the follow-up when new."""
    actor = ctx.bound()
    try:
        answer = CheckinAnswer(answer_value)
    except ValueError:
        return [say(INVALID_BUTTON)]
    result = checkins.record_checkin_answer(
        ctx.uow, guardian_id=actor.person_id, checkin_id=checkin_id, answer=answer.value, now=ctx.now
    )
    log.info("person %s answered check-in %s: %s", actor.person_id, checkin_id, result)
    if result == checkins.AnswerResult.ENDED:  # no longer their child: nothing recorded, nobody told
        ctx.finish()
        return [checkins.ended_prompt(ctx.uow, checkin_id)]
    if result == checkins.AnswerResult.ALREADY:
        return [say(N_("You have already answered this check-in; your first answer stands."))]
    if result != checkins.AnswerResult.RECORDED:
        return [say(INVALID_BUTTON)]
    ctx.finish()
    ctx.conv.data["v"] = {"checkin_id": checkin_id, "child_name": checkins.child_name(ctx.uow, checkin_id)}
    if answer is CheckinAnswer.NEEDS_HELP:
        return [
            say(N_("Thank you. The helper teacher has been told and will contact you.")),
            ctx.ask(FLOW, State.HELP_KIND, N_("What kind of help does {child} need?"),
                    {"child": _child(ctx)}, options=HELP_KINDS),
        ]
    return [say(THANKS), _ask_note(ctx)]


def _ask_note(ctx: Ctx) -> Prompt:
    # The follow-up names the child: with two grandchildren, "the teacher" alone is ambiguous (issue 6).
    return ctx.ask(
        FLOW, State.NOTE, N_("Anything you would like to tell {child}'s teacher? Write a few words, or choose Skip."),
        {"child": _child(ctx)}, options=(SKIP,), prose=True,
    )


def _child(ctx: Ctx) -> dict[str, str]:
    return text(str(ctx.values.get("child_name", "")))


def on_skip_button(ctx: Ctx, checkin_id: int) -> list[Prompt]:
    """``cin:<id>:skip``: no follow-up note for this check-in."""
    if ctx.conv.flow == FLOW and ctx.values.get("checkin_id") == checkin_id:
        kind = ctx.values.get("help_kind")
        ended = _save(ctx, "", kind) if kind else None
        ctx.finish()
        return [ended or say(N_("Thank you. Nothing more is needed."))]
    return [say(INVALID_BUTTON)]


def on_choice(ctx: Ctx, value: str) -> list[Prompt]:
    """A follow-up option was picked."""
    state = State(ctx.conv.state or "")
    if state is State.HELP_KIND:
        ctx.values["help_kind"] = value
        return [_ask_note(ctx)]
    kind = ctx.values.get("help_kind")  # Skip: keep at least the kind of help
    ended = _save(ctx, "", kind) if kind else None
    ctx.finish()
    return [ended or say(N_("Thank you. Nothing more is needed."))]


def on_text(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """The free-text follow-up; None when this state wants a choice."""
    if State(ctx.conv.state or "") is not State.NOTE:
        return None
    problem = text_problem(typed)
    if problem is not None:
        return [problem, _ask_note(ctx)]
    ended = _save(ctx, typed.strip(), ctx.values.get("help_kind"))
    ctx.finish()
    return [ended or say(N_("Thank you. The teacher will read your message."))]


def _save(ctx: Ctx, note: str, help_kind: str | None = None) -> Prompt | None:
    """Store the note; the "no longer your child" answer instead when the relation ended meanwhile."""
    actor = ctx.bound()
    checkin_id = int(ctx.values["checkin_id"])
    result = checkins.record_checkin_note(
        ctx.uow, guardian_id=actor.person_id, checkin_id=checkin_id, note=note, now=ctx.now, help_kind=help_kind,
    )
    log.info("person %s added a note to check-in %s: %s", actor.person_id, checkin_id, result)
    return checkins.ended_prompt(ctx.uow, checkin_id) if result == checkins.AnswerResult.ENDED else None
