"""Worry words naming no child, from a guardian of several: which child? (issue 6 leftover, fix6m).

李雪, grandmother of 刘婷婷 and 刘帅, answers the Friday check-in with
``孩子病了``. Which child is ill is never guessed, and passing the words on as
a plain message (as before) left both check-ins unanswered and no helper
teacher asked to call. So she is asked which child, her own children only,
numbered, naming her words; a number or the child's name (``婷婷``) answers.
That child's check-in waiting in the chat is then answered "needs help" with
her words as its note (:func:`needs_help`, shared with
:mod:`bot.flows.checkin_worry`); a child with no check-in waiting gets her words
as a message to the class teacher. ``取消`` passes her words on as a message.

Nothing she wrote is dropped (fix6p). Other words typed there are added to hers and the question asked once
more (``晚上也不睡``: more of the same worry, then ``1``). When she still does not answer but writes something
else again, or types a command, she has moved on: asking again and again would keep "孩子发烧两天了" in the chat's
state where no teacher reads it, and a school expects the class teacher to hear of a sick child the same day. So
all her words go at once, as one message naming all her children, to their class teacher(s) (one message per
teacher: :func:`bot.flows.relay.to_every_reader`), who can phone her and ask; the check-ins waiting are asked
again. Nothing is recorded on a check-in: which child needs help is never guessed. Words she never follows at
all go the same way after :data:`bot.flows.which_child_wait.WAIT` (fix6w).
"""

from __future__ import annotations

from typing import Any

from bot.domain import child_mentions
from bot.domain.enums import CheckinAnswer
from bot.flows import agenda as agenda_flow
from bot.flows import checkin, family_notes, relay
from bot.flows import words as everyday
from bot.flows.common import INVALID_BUTTON, Ctx, Option, say
from bot.messages import payloads
from bot.messages.prompt import N_, Prompt, text
from bot.services.family_notes import checkin_child

FLOW = "checkin_which"
STATE = "which"
WHICH = N_("Which child is “{words}” about? Reply with the number or the child's name.")


def ask(ctx: Ctx, words: str) -> list[Prompt]:
    """Ask which of her children ``words`` are about (her children only, numbered)."""
    mine = family_notes.children(ctx)
    # words kept: another command asks "drop it?" first; ``asked``: when, for the wait (bot.flows.which_child_wait)
    ctx.conv.data = {"v": {"words": words, "asked": ctx.now.isoformat()}, "steps": 1}
    options = [Option(N_("{name}"), payloads.child_value(c.id), {"name": text(c.name)}) for c in mine]
    return [ctx.ask(FLOW, STATE, WHICH, {"words": text(_short(words))}, options, free_text=True)]


def _short(words: str) -> str:
    return words if len(words) <= 30 else words[:29] + "…"


def needs_help(ctx: Ctx, payload: str, words: str) -> list[Prompt]:
    """The check-in answered "needs help" by ``payload`` (its Needs help choice), ``words`` its note.

    Returns what the guardian is told: the answer recorded, who reads the words, what kind of help.
    """
    pressed = payloads.decode(payload)
    if not isinstance(pressed, payloads.CheckinPress):
        return [say(INVALID_BUTTON)]
    agenda_flow.answered(ctx, payload)
    recorded = checkin.on_answer(ctx, pressed.checkin_id, pressed.answer)
    if ctx.conv.flow != checkin.FLOW:  # not recorded (already answered, no longer their child): said so
        return recorded
    ctx.values["noted"] = True
    told = family_notes.checkin_note(ctx, words, checkin.save_note)
    return [*recorded[:-1], *told, recorded[-1]]


def _waiting_needs_help(ctx: Ctx, child_id: int) -> str | None:
    """The Needs help payload of the child's check-in waiting in this chat, else None."""
    for entry in ctx.conv.agenda:
        if entry.get("kind") != "offer":
            continue
        for choice in agenda_flow.offer_choices(entry):
            pressed = payloads.decode(choice.payload)
            if (isinstance(pressed, payloads.CheckinPress) and pressed.answer == CheckinAnswer.NEEDS_HELP.value
                    and checkin_child(ctx.uow, pressed.checkin_id) == child_id):
                return choice.payload
    return None


def _file(ctx: Ctx, child_id: int, words: str) -> list[Prompt]:
    ctx.finish()
    payload = _waiting_needs_help(ctx, child_id)
    if payload is None:  # no check-in of that child waiting: her words reach its class teacher all the same
        return [relay.about_child(ctx, child_id, words)]
    return needs_help(ctx, payload, words)


def on_choice(ctx: Ctx, value: str) -> list[Prompt]:
    """A child picked by number."""
    child_id = payloads.decode_child_value(value)
    if child_id is None or child_id not in {c.id for c in family_notes.children(ctx)}:
        return [say(INVALID_BUTTON)]
    return _file(ctx, child_id, str(ctx.values.get("words") or ""))


def on_text(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """The child's name (``婷婷``, ``刘帅``) answers; other words are added to hers (see the module).

    Added and asked again the first time; the second time they go, with hers, to all her children's teachers.
    None for an everyday acknowledgement (``好的``): the question is asked again.
    """
    if everyday.is_acknowledgement(ctx.locale, typed) or everyday.says_nothing(typed):
        return None
    child = family_notes.named(ctx, typed)
    words = str(ctx.values.get("words") or "")
    if child is None or not child_mentions.only_a_name(typed, child.name):
        words = f"{words}\n{typed.strip()}"
    if child is None and not ctx.values.get("added"):  # more of the same worry (晚上也不睡): added, asked again
        ctx.values.update(words=words, added=True, asked=ctx.now.isoformat())
        shown = ctx.current_prompt()
        return [say(family_notes.ADDED), *([shown] if shown is not None else [])]
    if child is None:  # asked twice, she has moved on: her words reach all her children's teachers (see module)
        ctx.finish()
        return relay.to_every_reader(ctx, words)
    return _file(ctx, child.id, words)


def leave(ctx: Ctx) -> list[Prompt]:
    """A command typed at "which child?": her words go to the class teacher(s) of all her children first.

    Returns what she is told (nothing when "which child?" is not the question waiting); the caller runs the command.
    """
    if ctx.conv.flow != FLOW:
        return []
    words = str(ctx.values.get("words") or "")
    ctx.finish()
    return relay.to_every_reader(ctx, words) if words.strip() else []


def cancel(ctx: Ctx) -> list[Prompt]:
    """``取消`` at "which child?": her words are not dropped — passed on to the class teacher as her message."""
    words: Any = ctx.values.get("words") or ""
    ctx.finish()
    return relay.pass_on(ctx, str(words)) or []
