"""Words at one child's check-in note that are about another child with an open incident (issue 6 trial, MED).

李雪 has two grandchildren. 张老师 reported 刘婷婷's fall (the alert reached 李雪, she confirmed it); then she
answers 刘帅's check-in ``2`` and, at "关于刘帅，还有什么想告诉老师的吗？", writes ``婷婷手还疼吗``. Those words
are about 婷婷's open incident: they go to those handling it — its reporter and her class teacher, as the
README promises for a message naming a child with an open incident — never as a general note. And 刘帅's
note question was not answered by them: it is asked again, named, so her next words (``帅帅最近不爱说话``)
are 刘帅's note, "written after the check-in answer".
"""

from __future__ import annotations

from collections.abc import Callable

from bot.flows import family_notes, relay
from bot.flows.common import Ctx
from bot.messages.prompt import N_, Prompt, text
from bot.services import family_notes as notes_on_file
from bot.services import incident_questions

STILL_ASKING = N_("And about {child}:")


def note_about_incident(ctx: Ctx, note: str, ask_note: Callable[[Ctx], Prompt]) -> list[Prompt] | None:
    """``note`` naming another child whose open incident reached the writer: to its handlers, the note asked again.

    None otherwise (a note as any). Only while no kind of help is pending (a "needs help" answer files its own
    way).
    """
    if ctx.values.get("help_kind") or ctx.values.get("noted") or ctx.actor is None:
        return None
    own = notes_on_file.checkin_child(ctx.uow, int(ctx.values["checkin_id"]))
    other = family_notes.named(ctx, note)
    if other is None or other.id == own or not incident_questions.reached_open(
            ctx.uow, person_id=ctx.actor.person_id, child_id=other.id):
        return None
    told = relay.about_child(ctx, other.id, note)
    again = ask_note(ctx)  # the note question of this check-in, its child named, still open
    return [told, Prompt(STILL_ASKING, {"child": text(str(ctx.values.get("child_name") or ""))}), again]
