"""A family's words reach the class teacher of the child they name (issue 6 item 4: nothing said is dropped).

* :func:`checkin_note` — the note typed at a check-in's "anything to tell the
  teacher?" question: kept for the helper teacher's digest and passed at once
  to the class teacher, who answers it like any family message
  (:mod:`bot.flows.relay`); filed under another of the writer's children when
  it names one (``婷婷发烧了`` at 刘帅's check-in).
* :func:`named` — the one child of the writer's a message names (full name,
  given name, 帅帅 / 小帅 forms: :mod:`bot.domain.child_mentions`), used by
  :mod:`bot.flows.relay` so ``帅帅今天没去上学`` needs no "which child?".
* :func:`at_pick_child` — words typed at "which child?": added to the message,
  and a name among them answers the question.
* :func:`alert_words` — a reply to an incident alert naming another child of
  the writer's: those words also reach that child's class teacher.

Only the writer's own children are compared: nothing here matches, names or
reveals another family's child.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from bot.domain import child_mentions
from bot.flows import night
from bot.flows import words as everyday
from bot.flows.common import Ctx, say
from bot.messages import payloads
from bot.messages.labels import ROLE_LABELS
from bot.messages.prompt import N_, Prompt, msg, plural, text
from bot.services import family_messages, family_notes
from bot.services.family_messages import FamilyChild, Passed
from bot.services.family_notes import NoteFiled

# The same words as bot.flows.relay's (one msgid): the writer is told who will read it.
PASSED = N_("Thank you. Your message about {child} was passed to {reader} ({role}), who will read it and "
            "answer you here.")
# Children in two classes: every class teacher who reads it, in one line (found by a new user, fix6b).
PASSED_MANY = N_("Thank you. Your message about {child} was passed to {readers} and {last}, who will read it and "
                 "answer you here.")
IN_DIGEST = N_("{helper} (helper teacher) will also read it in the daily summary.")
HELPER_NOW = N_("{helper} (helper teacher), who will contact you, has it now too.")
NOTE_KEPT = N_("Thank you. The teacher will read your message.")
ADDED = N_("Added to your message.")
ALSO_PASSED = N_("Your words about {child} were also passed to {reader} ({role}).")


def children(ctx: Ctx) -> list[FamilyChild]:
    """The writer's own children (none for staff)."""
    return family_messages.family_children(ctx.uow, ctx.actor.person_id) if ctx.actor is not None else []


def named(ctx: Ctx, words: str | None, among: list[FamilyChild] | None = None) -> FamilyChild | None:
    """The one child of the writer's that ``words`` names (None: none, or more than one)."""
    if not words:
        return None
    mine = children(ctx) if among is None else among
    found = child_mentions.named(words, [(c.id, c.name) for c in mine])
    return next((c for c in mine if c.id == found[0]), None) if len(found) == 1 else None


def passed_prompt(passed: Passed) -> Prompt:
    """"Your message about 刘婷婷 was passed to 王老师 (class teacher) …"."""
    return say(PASSED, child=text(passed.child), reader=text(passed.reader),
               role=msg(ROLE_LABELS.get(passed.reader_role, N_("teacher"))))


def reader_param(reader: str, role: str) -> dict[str, Any]:
    """"王老师（班主任）": a reader and their role, as one item of a list of readers."""
    return msg(N_("{name} ({role})"), name=text(reader), role=msg(ROLE_LABELS.get(role, N_("teacher"))))


def passed_to_all(children: list[Any], readers: list[dict[str, Any]],
                  lines: tuple[tuple[str, dict[str, Any]], ...] = ()) -> Prompt:
    """"Your message about 刘帅、刘婷婷 was passed to 王老师（班主任）和张老师（班主任）…": every reader, one line.

    ``readers``: two or more (one reader is :data:`PASSED`'s).
    """
    return Prompt(PASSED_MANY, {"child": children, "readers": readers[:-1], "last": readers[-1]}, lines=lines)


def one_line(prompts: list[Prompt]) -> list[Prompt]:
    """Several "passed to 王老师 …" of one message (one per class teacher) as one line naming every reader."""
    told = [p for p in prompts if p.message_id == PASSED]
    if len(told) < 2:
        return prompts
    children: list[Any] = []
    lines: list[tuple[str, dict[str, Any]]] = []
    for p in told:
        named = p.params["child"]
        children.extend(named if isinstance(named, list) else [named])
        lines.extend(line for line in p.lines if line not in lines)
    readers = [msg(N_("{name} ({role})"), name=p.params["reader"], role=p.params["role"]) for p in told]
    at = prompts.index(told[0])
    merged = passed_to_all(children, readers, tuple(lines))
    return [*prompts[:at], merged, *(p for p in prompts[at:] if p.message_id != PASSED)]


def checkin_note(ctx: Ctx, note: str, save: Callable[[Ctx, str, str | None, bool], Prompt | None]) -> list[Prompt]:
    """The note at a check-in's note question; ``save`` stores it on the check-in (``bot.flows.checkin._save``).

    ``save``'s last argument says whether the note is also passed on now (its reader then gets one message).

    Returns what the writer is told: who reads it now, and who reads it in the digest.
    """
    checkin_id = int(ctx.values["checkin_id"])
    kind = ctx.values.get("help_kind")
    # "Needs help" already answered (a kind, the words as the help, or worry words at the question): the note
    # went to the helper teacher's task at once (bot.services.checkins), not to the digest.
    helping = bool(kind or ctx.values.get("noted"))
    own = family_notes.checkin_child(ctx.uow, checkin_id)
    other = named(ctx, note)
    actor = ctx.bound()
    if other is not None and other.id != own:
        # Words about another of her children: the check-in keeps its kind of help, the note goes to the child named.
        ended = save(ctx, "", kind, False) if kind else None
        if ended is not None:
            return [ended]
        filed = family_notes.file_for_child(ctx.uow, guardian_id=actor.person_id, child_id=other.id, note=note,
                                            now=ctx.now, channel=ctx.channel)
    else:
        # 两个孩子都想妈妈了: about them all, filed as the same words outside a question are (every child's teachers).
        about_all = other is None and len(children(ctx)) > 1 and child_mentions.about_all(note)
        ended = save(ctx, note, kind, True)
        if ended is not None:
            return [ended]
        relay = family_notes.relay_note_about_all if about_all else family_notes.relay_checkin_note
        shown_kind = None if ctx.values.get("own_words") else kind  # the words are the help: no kind is named
        filed = relay(ctx.uow, guardian_id=actor.person_id, checkin_id=checkin_id, note=note, now=ctx.now,
                      channel=ctx.channel, help_kind=shown_kind)
        return [_told(ctx, filed, HELPER_NOW if helping else IN_DIGEST)]
    return [_told(ctx, filed)]


def helper_has_it(ctx: Ctx, filed: NoteFiled | None) -> Prompt:
    """Who reads a "needs help" note now: the class teacher, and the helper teacher who has the task."""
    return _told(ctx, filed, HELPER_NOW)


def _told(ctx: Ctx, filed: NoteFiled | None, helper_line: str = IN_DIGEST) -> Prompt:
    """Who reads the note now, when (at night: from the morning, and whom to phone now), and who in the digest."""
    if filed is None or filed.passed is None:
        return say(NOTE_KEPT)
    told = passed_prompt(filed.passed)
    lines: list[tuple[str, dict[str, Any]]] = []
    if filed.children:  # about all her children: each named, and each helper teacher who reads it
        told = replace(told, params={**told.params, "child": [text(n) for n in filed.children]})
        if filed.also:  # children in two classes: both class teachers read it now, both named (fix6b)
            told = passed_to_all(told.params["child"], [reader_param(p.reader, p.reader_role)
                                                        for p in (filed.passed, *filed.also)])
        now = helper_line == HELPER_NOW and filed.digest_reader
        if now and filed.digest_reader:
            lines.append((HELPER_NOW, {"helper": text(filed.digest_reader)}))
        later = [*([filed.digest_reader] if filed.digest_reader and not now else []), *filed.digest_readers]
        if later:
            lines.append(plural("{helpers} (helper teacher) will read it in the daily summary too.",
                                "{helpers} (helper teachers) will read it in the daily summary too.", len(later),
                                helpers=[text(n) for n in later]))
    elif filed.digest_reader:
        lines.append((helper_line, {"helper": text(filed.digest_reader)}))
    # A worry written at night as the note waits for the morning like any message: said so (a trial user's 23:00).
    lines.extend(night.held_for_night(ctx, filed.passed.reader))
    return Prompt(told.message_id, told.params, lines=tuple(lines)) if lines else told


def at_pick_child(ctx: Ctx, typed: str, pass_on: Callable[[Ctx, int, str, Any], Prompt],
                  again: Callable[[], Prompt | None], among: list[FamilyChild] | None = None) -> list[Prompt] | None:
    """Words typed at "which child is your message about?" (``ctx.values``: the message so far).

    A name (``婷婷``, ``刘帅``) answers the question; other words are added to the
    message (never replacing it), and a name among them answers it too. An
    everyday acknowledgement (``好的``) is no part of the message: None (asked again).

    Args:
        ctx: the relay flow at its ``pick_child`` state.
        typed: what was typed.
        pass_on: ``(ctx, child_id, body, media)`` → the "passed to …" prompt (``bot.flows.relay._passed``).
        again: the question shown again.
        among: the children the writer may write about (a volunteer's paired children); default their own.
    """
    if everyday.is_acknowledgement(ctx.locale, typed) or everyday.matches(ctx.locale, "skip", typed):
        shown = again()  # "type the child's name" has no options: never "please choose an option" there
        return [shown] if shown is not None and not shown.choices else None
    mine = children(ctx) if among is None else among
    child = named(ctx, typed, mine)
    body = str(ctx.values.get("body") or "")
    if child is None or not child_mentions.only_a_name(typed, child.name):
        body = (f"{body}\n{typed.strip()}" if body else typed.strip())[:family_messages.MAX_BODY + 1]  # over: told
    if child is None:
        ctx.values["body"] = body
        shown = again()
        return [say(ADDED), *([shown] if shown is not None else [])]
    media = tuple((str(kind), str(ref)) for kind, ref in ctx.values.get("media") or ())
    ctx.finish()
    return [pass_on(ctx, child.id, body, media)]


def alert_words(ctx: Ctx, words: str | None, alert_children: list[str]) -> list[tuple[str, dict[str, Any]]]:
    """A reply to an alert naming another child of the writer's: the words go to that child's class teacher too.

    Returns the lines telling the writer so (none when the words name no other child of theirs).
    """
    if not words or ctx.actor is None:
        return []
    mine = children(ctx)
    child = named(ctx, words, mine)
    if child is None or child.name in alert_children:
        return []
    passed = family_messages.pass_on(ctx.uow, from_person_id=ctx.actor.person_id, child_id=child.id, body=words,
                                     now=ctx.now, channel=ctx.channel)
    if passed is None:
        return []
    return [(ALSO_PASSED, {"child": text(passed.child), "reader": text(passed.reader),
                           "role": msg(ROLE_LABELS.get(passed.reader_role, N_("teacher")))})]


READ = N_("All right. To answer this message later, reply {number}.")


def read_only(shown: list[Prompt]) -> Prompt | None:
    """``收到`` under a family's message whose only answer is Reply: taken as "read" (found by a trial user).

    The message asks for no acknowledgement, so "please choose" would be wrong: the teacher is told how to
    answer later and nothing is recorded or passed on; the message stays answerable. None for any other
    question (an alert, a check-in), whose acknowledgement words are handled there.
    """
    question = next((p for p in reversed(shown) if p.choices), None)
    if question is None:
        return None
    pressed = [payloads.decode(c.payload) for c in question.choices]
    if not all(isinstance(p, payloads.FamilyReply) for p in pressed):
        return None
    return say(READ, number=text("1"))
