"""The weekly check-in about a child waits while an emergency about that child is open (fix6o).

A grandfather taps ``1`` on the alert that 杨秀云 split her head open in the yard; the Friday check-in waiting under
the alert came back at once, numbered, and his second ``1`` — a tap too many — recorded "杨秀云这周很好". Now the
check-in about a child with an open emergency incident is not asked: it is held (``held`` and ``held_child`` on
its agenda entry, as after emergency advice, :func:`bot.flows.agenda.held_back`), and the person is told it will
come back. While the incident is open, a number, an acknowledgement or a word that would answer the check-in
records nothing; other words about the child go to those handling the incident. Once it is closed, the close
notice carries the check-in back at once, with its numbers (:func:`bot.services.agenda_return.after_notice`); a
message finding the incident closed otherwise lifts the hold too (:func:`still_held`), and so does the family's
own all clear (``没事了``, :mod:`bot.flows.all_clear`).
"""

from __future__ import annotations

from typing import Any

from bot.flows import all_clear_words, words
from bot.flows import typed as typed_answers
from bot.flows.common import Ctx
from bot.messages import payloads
from bot.messages.prompt import N_, Prompt, text
from bot.services import incident_open

HELD = N_("The weekly question about {name} will wait until the incident about {name} is closed; I will ask it "
          "again then.")
SOONER = N_("If you tell me {name} is safe, I will ask you the weekly question at once, without waiting for "
           "the incident to be closed.")
NOT_RECORDED = N_("That was not recorded as an answer about {name}'s week: the weekly question waits until the "
                  "incident about {name} is closed.")
NOTHING_TO_SKIP = N_("All right. There is nothing to skip just now: the weekly question about {name} waits until "
                     "the incident about {name} is closed.")


def reader(ctx: Ctx) -> int | None:
    """Who reads the answer: an incident they are kept away from never holds their questions (fix9z).

    The accused family of a safeguarding report must not read "the weekly question waits until 刘帅's incident
    is closed" (:func:`bot.services.incident_open.open_emergency`).
    """
    return ctx.actor.person_id if ctx.actor is not None else None


def _checkin_id(top: dict[str, Any]) -> int | None:
    """The check-in a waiting question answers (its one-tap answers), None when it is no check-in."""
    for payload in top.get("payloads") or ():
        pressed = payloads.decode(payload)
        if isinstance(pressed, payloads.CheckinPress):
            return pressed.checkin_id
    return None


def is_checkin(entry: dict[str, Any]) -> bool:
    """Whether an agenda entry is a check-in's question (its one-tap answers)."""
    return _checkin_id(entry) is not None


def hold(ctx: Ctx, top: dict[str, Any]) -> list[Prompt] | None:
    """The check-in about to be asked again, about a child with an open emergency: held, and said so; else None.

    Args:
        ctx: the update.
        top: the agenda entry next in turn (``ctx.conv.agenda[0]``).
    """
    if top.get("kind") != "offer" or not top.get("required") or top.get("cleared"):
        return None  # the family said 没事了 (bot.flows.all_clear): the week may be asked
    checkin_id = _checkin_id(top)
    child = incident_open.checkin_child(ctx.uow, checkin_id) if checkin_id is not None else None
    if child is None or not incident_open.open_emergency(ctx.uow, child[0], reader_id=reader(ctx)):
        return None
    ctx.conv.agenda = [{**top, "held": True, "held_child": child[0]}, *ctx.conv.agenda[1:]]
    # The family's own all clear (没事了) lifts the hold too (bot.flows.all_clear): said, not only "until closed" —
    # unless her message spoke of the child so already (婷婷没事了，很好: passed to the reporter, fix6ab); "if you
    # tell me she is safe" would then answer her own words with a riddle.
    # So too when she wrote it earlier (``Liu Shuai is fine``, then the sister's check-in answered: fix6ai).
    earlier = incident_open.words_to_handlers(ctx.uow, child_id=child[0], person_id=ctx.actor.person_id) \
        if ctx.actor is not None else []
    if any(all_clear_words.said(ctx.locale, said, [child]) is not None for said in [ctx.typed or "", *earlier]):
        return [Prompt(HELD, {"name": text(child[1])})]
    return [Prompt(HELD, {"name": text(child[1])}, lines=((SOONER, {"name": text(child[1])}),))]


def sibling_first(ctx: Ctx) -> dict[str, Any] | None:
    """The check-in just held on top: a sibling's check-in behind it, with no emergency open, asked now (fix6aa).

    刘婷婷's check-in waits for her incident; 刘帅's, queued behind it, was never asked though he is in none. It
    is moved on top (the held one right under it, still held) and returned, touched; None when there is none.
    """
    held, rest = ctx.conv.agenda[0], ctx.conv.agenda[1:]
    for i, entry in enumerate(rest):
        checkin_id = _checkin_id(entry)
        child = incident_open.checkin_child(ctx.uow, checkin_id) if checkin_id is not None else None
        if child is not None and entry.get("required") and not entry.get("held") \
                and not incident_open.open_emergency(ctx.uow, child[0], reader_id=reader(ctx)):
            shown = {**{k: v for k, v in entry.items() if k != "queued"}, "at": ctx.now.isoformat()}
            ctx.conv.agenda = [shown, held, *rest[:i], *rest[i + 1:]]
            return shown
    return None


def still_held(ctx: Ctx, top: dict[str, Any], typed: str, number: int | None) -> list[Prompt] | None:
    """A message while the check-in is held for an open emergency.

    Returns:
        "Not recorded" for a number, an acknowledgement or a word that would answer the check-in; an empty list
        for other words (the caller passes them to those handling the incident); None when the check-in is not
        held so, or the incident is closed (the hold is lifted: handled as after emergency advice).
    """
    child_id = top.get("held_child")
    if not top.get("held") or child_id is None:
        return None
    if not incident_open.open_emergency(ctx.uow, int(child_id), reader_id=reader(ctx)):
        ctx.conv.agenda = [{k: v for k, v in top.items() if k != "held_child"}, *ctx.conv.agenda[1:]]
        return None
    if number is None and words.matches(ctx.locale, "thanks", typed):
        return []  # 谢谢老师: words for the teacher (fix6n), passed to those handling the incident, not refused
    child = incident_open.checkin_child(ctx.uow, _checkin_id(top) or 0)
    skipping = words.matches(ctx.locale, "skip", typed) or words.says_nothing(typed)
    if number is None and skipping and not words.is_acknowledgement(ctx.locale, typed):
        # 👍 alone acknowledges like 好的 (below), never read as a skip (fix6z)
        # 跳过 with nothing on screen to skip: no message for the teacher handling the incident (fix6q).
        return [Prompt(NOTHING_TO_SKIP, {"name": text(child[1] if child else "")})]
    choices = [c for c in Prompt.from_dict(top["prompt"]).choices if not c.typed]
    if (number is not None or words.is_acknowledgement(ctx.locale, typed)
            or typed_answers.matching(ctx, choices, typed) is not None):
        return [Prompt(NOT_RECORDED, {"name": text(child[1] if child else "")})]
    return []


def pressed(ctx: Ctx, checkin_id: int) -> list[Prompt] | None:
    """A check-in's button pressed (Telegram, an old message) while the child's emergency is open: refused.

    The button gets what a typed ``1`` gets (:func:`still_held`): "not recorded", and nothing changes — a tap on
    "很好" under the check-in sent before 杨秀云 went missing recorded "杨秀云这周很好" (break6 F2). None when the
    child has no emergency open, or the check-in is the question shown, not held (asked again after the family's
    own all clear, :mod:`bot.flows.all_clear`): pressed as usual.

    Ownership first: a check-in sent to someone else (``ci:<id>:g`` tampered with; ids are sequential) is pressed
    as usual too — "这个按钮已经失效了。" — never "the weekly question waits until 张三's incident is closed" (fix9z).
    """
    if not incident_open.owned_by(ctx.uow, checkin_id, reader(ctx)):
        return None
    child = incident_open.checkin_child(ctx.uow, checkin_id)
    if child is None or not incident_open.open_emergency(ctx.uow, child[0], reader_id=reader(ctx)):
        return None
    top = ctx.conv.agenda[0] if ctx.conv.agenda else None
    if top is not None and _checkin_id(top) == checkin_id and (top.get("cleared") or not top.get("held")):
        return None
    return [Prompt(NOT_RECORDED, {"name": text(child[1])})]
