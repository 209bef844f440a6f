"""``没事了`` at one child's check-in note while another child's incident is open: which is meant (fix6aw, HIGH).

王老师 reported 刘帅 grazed by a car; 李雪, grandmother of 刘帅 and 刘婷婷, confirmed the alert, answered 刘婷婷's
check-in ``1`` and, at "关于刘婷婷，还有什么想告诉老师的吗？", wrote ``没事了``. Most likely "nothing more to add" —
yet it was taken as 刘帅's all clear: 王老师, 张老师 and the father read 「李雪说刘帅没事了」 and the teachers were
offered to close the incident of a child hit by a car. Bare all-clear words naming no child (``没事了``, ``没事``,
``没事，谢谢``, ``she is fine now``) at that question are now asked about, one question at a time: "您是说刘帅已经
平安了，还是关于刘婷婷没有要补充的？" — 1 passes the all clear exactly as ``帅帅没事了`` does (the note question asked
again after it), 2 ends the note question as a skip does (her answer kept). Words naming the child (``帅帅没事了``)
are the all clear at once; with one child, or the note's own child the one with the open incident, nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.flows import agenda as agenda_flow
from bot.flows import all_clear_pick, all_clear_words, family_notes
from bot.flows import words as everyday
from bot.flows.common import INVALID_BUTTON, Ctx, Option, say
from bot.messages.prompt import N_, Prompt, text
from bot.services import family_notes as notes_on_file
from bot.services import incident_replies

FLOW, NOTE, CLEAR = "checkin", "note", "clear"  # the check-in flow's states (bot.flows.checkin.State)
MEANT = N_("Do you mean {other} is safe now, or that you have nothing to add about {child}?")
SAFE = N_("{other} is safe now")
NOTHING_TO_ADD = N_("Nothing to add about {child}")
SAFE_VALUE, NOTHING_VALUE = "safe", "nothing"


def ask_first(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """The question, when ``typed`` is a bare all clear at a note for a child with no open incident; else None."""
    if ctx.actor is None or ctx.conv.flow != FLOW or ctx.conv.state != NOTE or ctx.values.get("own_words"):
        return None
    mine = family_notes.children(ctx)
    if len(mine) < 2 or everyday.is_question(typed):
        return None
    said = all_clear_words.said(ctx.locale, typed, [(c.id, c.name) for c in mine])
    if said is None or not said.plain or said.named or said.together or said.count is not None:
        return None
    own = notes_on_file.checkin_child(ctx.uow, int(ctx.values["checkin_id"]))
    if own is None or _open(ctx, own):
        return None  # 刘帅's own note: his all clear, as before
    hit = [c for c in mine if c.id != own and _open(ctx, c.id)]
    if len(hit) != 1:
        return None  # none: a note as any; several: "which child?" (bot.flows.all_clear_pick)
    other, child = hit[0], text(str(ctx.values.get("child_name") or ""))
    ctx.values.update(clear_words=typed.strip(), clear_child=other.id)
    options = [Option(SAFE, SAFE_VALUE, {"other": text(other.name)}),
               Option(NOTHING_TO_ADD, NOTHING_VALUE, {"child": child})]
    return [ctx.ask(FLOW, CLEAR, MEANT, {"other": text(other.name), "child": child}, options=options,
                    free_text=True)]


def _open(ctx: Ctx, child_id: int) -> bool:
    return incident_replies.followed_child(ctx.uow, person_id=ctx.bound().person_id, child_ids=[child_id],
                                           now=ctx.now, within=None) is not None


def on_choice(ctx: Ctx, value: str, ask_note: Callable[[Ctx], Prompt],
              skip: Callable[[Ctx], list[Prompt]]) -> list[Prompt]:
    """1: the all clear passed on, the note question asked again; 2: the note question ends as a skip does."""
    words = str(ctx.values.pop("clear_words", "") or "")
    child_id = ctx.values.pop("clear_child", None)
    if value == NOTHING_VALUE:
        return skip(ctx)
    if value != SAFE_VALUE or child_id is None:
        return [say(INVALID_BUTTON)]
    cleared = all_clear_pick.passed(ctx, [int(child_id)], words) or []
    again = ask_note(ctx)
    return [*cleared, Prompt(agenda_flow.STILL_WAITING), again] if cleared else [again]


def on_text(ctx: Ctx, typed: str, ask_note: Callable[[Ctx], Prompt],
            skip: Callable[[Ctx], list[Prompt]]) -> list[Prompt] | None:
    """A name answers (``刘帅``: 1, ``婷婷``: 2), as do "nothing" words (``没有``, ``跳过``: 2); None: asked again."""
    child = family_notes.named(ctx, typed)
    if child is not None and child.id == ctx.values.get("clear_child"):
        return on_choice(ctx, SAFE_VALUE, ask_note, skip)
    if child is not None or everyday.matches(ctx.locale, "skip", typed) or everyday.matches(ctx.locale, "no", typed):
        return on_choice(ctx, NOTHING_VALUE, ask_note, skip)
    return None


def answered_by(ctx: Ctx) -> None:
    """An all clear passed while the question was shown (``帅帅没事了``): it is moot; the note question is back.

    Nothing when that question is not the one shown.
    """
    if ctx.conv.flow != FLOW or ctx.conv.state != CLEAR:
        return
    ctx.values.pop("clear_words", None)
    ctx.values.pop("clear_child", None)
    from bot.flows import checkin  # (it routes this question here)

    checkin.ask_note(ctx)  # the note question on screen again, shown after the thanks (the runner's "again")
