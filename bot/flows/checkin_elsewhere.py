"""Words at one child's check-in note that are about another child with an open incident (issue 6 trial, MED).

李雪 has two grandchildren. 张老师 reported 刘婷婷's fall (the alert reached 李雪, she confirmed it); then she
answers 刘帅's check-in ``2`` and, at "关于刘帅，还有什么想告诉老师的吗？", writes ``婷婷手还疼吗``. Those words
are about 婷婷's open incident: they go to those handling it — its reporter and her class teacher, as the
README promises for a message naming a child with an open incident — never as a general note. And 刘帅's
note question was not answered by them: it is asked again, named, so her next words (``帅帅最近不爱说话``)
are 刘帅's note, "written after the check-in answer".

Words naming neither child are not filed on the check-in's child by default while the other's incident is open
(fix6ap, HIGH): 王老师 reported 刘帅 grazed by a car, 李雪 confirmed, answered 刘婷婷's check-in ``1`` and wrote
``在哪个医院``. That went to 张老师 as 刘婷婷's note, and 王老师, who knows where 刘帅 is, never read it. Now she
is asked "您的留言是关于哪个孩子的？1. 刘帅（突发事件） 2. 刘婷婷" (:func:`unnamed_note`): 刘帅 sends the words to
the incident's reporter and class teacher, as her only child's would go, and 刘婷婷's note question is asked
again; 刘婷婷 files them as her note. Not answered, they go on as the words of an unanswered "which child?" do
(:mod:`bot.flows.which_child_wait`, a command): to both, nothing guessed, each reader once.

``取消`` / ``算了`` there is not "no answer" (fix6au, HIGH): she took the words back. Passing them to everyone
then sent 「在哪个医院」 to 王老师 and twice to 张老师 after she said not to: now nothing is sent, and she is told
so in one line (:func:`cancel`).
"""

from __future__ import annotations

from collections.abc import Callable

from bot.domain import child_mentions
from bot.flows import family_notes, relay, relay_pick
from bot.flows import words as everyday
from bot.flows.common import INVALID_BUTTON, Ctx, Option, say
from bot.messages import payloads
from bot.messages.prompt import N_, Prompt, text
from bot.services import family_messages, incident_questions
from bot.services import family_notes as notes_on_file

STILL_ASKING = N_("And about {child}:")
FLOW, ABOUT = "checkin", "about"  # the check-in flow's "which child?" state (bot.flows.checkin.State.ABOUT)
INCIDENT_CHILD = N_("{name} (incident)")
NOT_SENT = N_("All right, that message was not sent.")
Save = Callable[[Ctx, str, str | None, bool], Prompt | None]


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


def unnamed_note(ctx: Ctx, note: str) -> list[Prompt] | None:
    """``note`` naming none of her children while another child's open incident reached her: which child?

    None otherwise: one child, words naming a child (``婷婷在哪个医院`` is 刘婷婷's note at once), no such
    incident, or an incident she is kept away from (never named to her). The words of a "needs help" typed at
    "what kind of help?" are that help (``own_words``): not asked about.
    """
    if ctx.values.get("noted") or ctx.values.get("own_words") or ctx.actor is None:
        return None
    mine = family_notes.children(ctx)
    if len(mine) < 2 or child_mentions.named(note, [(c.id, c.name) for c in mine]):
        return None
    own = notes_on_file.checkin_child(ctx.uow, int(ctx.values["checkin_id"]))
    hit = incident_questions.incident_children(ctx.uow, person_id=ctx.actor.person_id,
                                               child_ids=[c.id for c in mine if c.id != own])
    if not hit:
        return None
    ctx.values.update(body=note, asked=ctx.now.isoformat(), about=hit)  # ``asked``: for the wait (which_child_wait)
    options = [*(Option(INCIDENT_CHILD, payloads.child_value(c.id), {"name": text(c.name)}) for c in mine
                 if c.id in hit),
               *(Option(N_("{name}"), payloads.child_value(c.id), {"name": text(c.name)}) for c in mine
                 if c.id == own)]
    return [ctx.ask(FLOW, ABOUT, relay_pick.WHICH_CHILD, options=options, free_text=True)]


def on_choice(ctx: Ctx, value: str, ask_note: Callable[[Ctx], Prompt], save: Save) -> list[Prompt]:
    """A child picked by number at :func:`unnamed_note`'s question."""
    child_id = payloads.decode_child_value(value)
    return _picked(ctx, child_id, ask_note, save) if child_id is not None else [say(INVALID_BUTTON)]


def on_text(ctx: Ctx, typed: str, ask_note: Callable[[Ctx], Prompt], save: Save) -> list[Prompt] | None:
    """A child's name (``刘帅``, ``婷婷``) answers; other words are added to hers and the question asked again.

    None for an everyday acknowledgement (``好的``) or nothing: the question is asked again.
    """
    if everyday.is_acknowledgement(ctx.locale, typed) or everyday.says_nothing(typed):
        return None
    among = [c for c in family_notes.children(ctx) if c.id in _ids(ctx)]
    child = family_notes.named(ctx, typed, among)
    if child is None or not child_mentions.only_a_name(typed, child.name):
        body = f"{ctx.values.get('body') or ''}\n{typed.strip()}"
        ctx.values["body"] = body[:family_messages.MAX_BODY + 1]  # over the cap: the writer is told
    if child is None:
        shown = ctx.current_prompt()
        return [say(family_notes.ADDED), *([shown] if shown is not None else [])]
    return _picked(ctx, child.id, ask_note, save)


def _ids(ctx: Ctx) -> list[int]:
    own = notes_on_file.checkin_child(ctx.uow, int(ctx.values["checkin_id"]))
    return [*(int(i) for i in ctx.values.get("about") or ()), *([own] if own is not None else [])]


def _picked(ctx: Ctx, child_id: int, ask_note: Callable[[Ctx], Prompt], save: Save) -> list[Prompt]:
    """The incident's child: to those handling it, the note asked again; the check-in's child: her note."""
    if child_id not in _ids(ctx):
        return [say(INVALID_BUTTON)]
    about = [int(i) for i in ctx.values.pop("about", None) or ()]
    body = str(ctx.values.pop("body", "") or "")
    ctx.values.pop("asked", None)
    if child_id in about:  # as her only child's words would go (bot.services.incident_questions)
        told = relay.about_child(ctx, child_id, body)
        again = ask_note(ctx)
        return [told, Prompt(STILL_ASKING, {"child": text(str(ctx.values.get("child_name") or ""))}), again]
    filed = family_notes.checkin_note(ctx, body, save)
    ctx.finish()
    return filed


def cancel(ctx: Ctx) -> list[Prompt] | None:
    """``取消`` / ``算了`` at :func:`unnamed_note`'s question: the words are dropped, unsent, and she is told.

    She said she does not want them sent — not "I won't say which child" — so no teacher reads them (the check-in
    answer itself was recorded when given, and stands). None when that question is not the one waiting.
    """
    if ctx.conv.flow != FLOW or ctx.conv.state != ABOUT:
        return None
    ctx.finish()
    return [say(NOT_SENT)]


def leave(ctx: Ctx) -> list[Prompt]:
    """Her words at an unanswered :func:`unnamed_note` question (a command, the wait): to both, unguessed.

    To those handling the incident and to the class teacher of the check-in's child
    (:func:`bot.flows.relay.to_every_reader`: a teacher who is both reads them once); nothing when that question
    is not the one waiting.
    """
    if ctx.conv.flow != FLOW or ctx.conv.state != ABOUT:
        return []
    words = str(ctx.values.get("body") or "")
    ctx.finish()
    return relay.to_every_reader(ctx, words) if words.strip() else []
