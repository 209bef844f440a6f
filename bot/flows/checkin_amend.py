"""A check-in answer corrected in words right after it: ``刚才按错了应该是需要帮助``, ``不对，是一般`` (fix6ak).

A new-user trial: 李雪 tapped ``1`` (很好) for 刘婷婷, then wrote ``刚才按错了应该是需要帮助`` at "anything to tell
the teacher?". The words went to the class teacher as a note written after "很好"; 刘婷婷 stayed 很好, the figures
counted her week good, and the helper teacher was never alerted as a real 需要帮助 answer alerts. Now:

* At the note question (or "what kind of help?"), words opening with a correction word (:mod:`bot.domain.
  correction_words`: ``不对``, ``按错了``, ``应该是``, ``wrong``, ``I meant``) that name an answer change it, and she
  is told what is recorded now; a change to 需要帮助 does everything that answer does (the helper teacher is told,
  "what kind of help?" is asked). The answer is the words left once the correction is set aside: an answer word
  or its number (``应该是3``), a mild complaint "so-so" (fix6af), worry words "needs help" — words beyond the answer
  are the check-in's note, passed on. Correction words naming no answer ask 「要改成哪一个？」 with the choices; her
  other words are passed on once she has picked.
* At "what should the answer be?" (after 改一下), words are never dropped (MED-2: ``Tingting has a fever`` made the
  question vanish): an answer read in them is recorded, the words its note; other words are the note, and the
  question is asked again.
* A number beyond the note question's two choices but among the check-in's three, typed within a minute of the
  answer (``1`` then ``3``), was meant for the check-in just seen: 「您是要把杨秀云这周改成“需要帮助”吗？」 — asked,
  never applied silently (:func:`number_meant`).
* Within that minute, words opening with a plain "no" as a clause of its own (``不是，…``, ``没有，…``,
  ``No, she needs help``: the catalogs' everyday no) that name another answer are offered the same way, never
  applied silently (:func:`negation_meant`, fix6ao); ``没有`` or ``no`` alone is the note, as before.
* Within the change window (:data:`bot.services.checkin_changes.CHANGE_WINDOW`), after the follow-up has ended,
  correction words naming an answer change the last answer the same way (:func:`after`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.domain import child_mentions, correction_words
from bot.flows import checkin, checkin_mild, checkin_worry, family_notes
from bot.flows import typed as typed_answers
from bot.flows import words as everyday
from bot.flows.checkin import FLOW, State
from bot.flows.checkin_hold import reader
from bot.flows.common import Ctx, Option, say, text_problem
from bot.messages.prompt import N_, Prompt, msg, text
from bot.services import checkin_changes, checkins, incident_open
from bot.services.checkin_messages import ANSWER_LABELS
from bot.services.family_notes import checkin_child

SAME = N_("{child} this week is already recorded as: {answer}.")
MEANT_NUMBER = N_("Do you mean to change {child} this week to “{answer}”?")
NOT_CHANGED = N_("All right, not changed: {child} this week: {answer}.")
CANNOT = N_("That answer can no longer be changed; please tell the teacher instead.")
YES = Option(N_("Yes"), "amend_yes")
NOT_A_CHANGE = Option(N_("No, not a change"), "amend_no")
MEANT_WINDOW = timedelta(minutes=1)
"""How soon after the answer a number beyond the note question's choices is taken as meant for the check-in."""


@dataclass(frozen=True)
class Reading:
    """What words correcting a check-in say: the answer (None: not clear) and the words to pass on ('' none)."""

    answer: str | None
    words: str


def _child(ctx: Ctx) -> dict[str, str]:
    return text(str(ctx.values.get("child_name", "")))


def _exact(ctx: Ctx, clause: str, child_name: str) -> str | None:
    """The answer one clause is exactly — its number (``3``) or its everyday words, the child's name aside."""
    number = typed_answers.number(clause)
    if number is not None:
        return list(ANSWER_LABELS)[number - 1] if 1 <= number <= len(ANSWER_LABELS) else None
    for form in sorted(child_mentions.forms(child_name), key=len, reverse=True):
        clause = clause.replace(form, " ")
    clause = correction_words.bare(clause)  # 婷婷 is fine: "fine"
    return next((a for a, label in ANSWER_LABELS.items() if everyday.label_matches(ctx.locale, label, clause)), None)


def _clauses(typed: str, *, always: bool) -> tuple[str, ...] | None:
    return correction_words.clauses(typed, checkin_worry.listed_words("correction"), always=always)


def answer_in(ctx: Ctx, words: str, child_name: str) -> str | None:
    """The answer words about one child give, else None: one rule for every change in words (fix6aj, fix6ak).

    A mild complaint is "so-so" (fix6af), worry words "needs help", else the one answer its clauses are
    exactly (``是一般``, ``婷婷 is fine``, ``3``), correction and lead-in words aside.
    """
    if checkin_mild.is_mild(words):  # 不对，孩子有点咳嗽
        return "so_so"
    if checkin_worry.is_worry(words):  # 不对，孩子发烧了 / 刚才按错了应该是需要帮助
        return "needs_help"
    exact = {answer for clause in _clauses(words, always=True) or ()
             if (answer := _exact(ctx, clause, child_name)) is not None}
    return next(iter(exact)) if len(exact) == 1 else None


def changed_prompt(child_name: str, answer: str) -> Prompt:
    """"已改为：刘帅这周一般。" — with "the helper teacher has been told" for a change to 需要帮助."""
    said = say(checkin.CHANGED, child=text(child_name), answer=msg(ANSWER_LABELS[answer]))
    return replace(said, lines=((checkin.HELPER_TOLD, {}),)) if answer == "needs_help" else said


def read(ctx: Ctx, typed: str, *, corrects_only: bool = True) -> Reading | None:
    """The answer ``typed`` corrects the check-in in ``ctx.values`` to; None when it is no correction of it.

    ``corrects_only``: only words opening with a correction word are read (at the note question); otherwise any
    words (at "what should the answer be?"). Words naming another of her children are never this child's answer.
    """
    left = _clauses(typed, always=not corrects_only)
    if left is None:
        return None
    own = checkin_child(ctx.uow, int(ctx.values["checkin_id"]))
    other = family_notes.named(ctx, typed)
    if other is not None and other.id != own:
        return None
    child_name = str(ctx.values.get("child_name", ""))
    more = typed.strip() if any(_exact(ctx, clause, child_name) is None for clause in left) else ""
    return Reading(answer_in(ctx, typed, child_name), more)


def on_text(ctx: Ctx, typed: str, state: State) -> list[Prompt] | None:
    """Words at the note, "what kind of help?" or "what should the answer be?" read as a correction; else None."""
    if state is State.CHANGE:
        return _at_change(ctx, typed)
    if state not in (State.NOTE, State.HELP_KIND):
        return None
    reading = read(ctx, typed)
    if reading is None:
        return negation_meant(ctx, typed) if state is State.NOTE else None
    if reading.answer is None:  # 按错了 alone, or with words that name no answer: which one?
        return [ask_which(ctx, reading.words)]
    return apply(ctx, reading.answer, reading.words)


def _at_change(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """Words at "what should the answer be?": an answer read in them, else the note — the question asked again."""
    if any(everyday.matches(ctx.locale, kind, typed) for kind in ("skip", "cancel", "keep_answer")):
        return keep(ctx)  # 跳过, 不改了, 算了: the answer recorded stands, and she is told so (fix6an)
    if (everyday.says_nothing(typed) or everyday.is_acknowledgement(ctx.locale, typed)
            or typed_answers.number(typed) is not None):
        return None  # no words to keep: "please choose one" and the question again, as before
    if everyday.matches(ctx.locale, "change", typed):  # 改一下, 换一个 at this very question: the choices again
        return [checkin.ask_change(ctx)]  # never a note to the teacher (a new-user trial, fix6aq)
    problem = text_problem(typed)
    if problem is not None:
        return [problem, checkin.ask_change(ctx)]
    reading = read(ctx, typed, corrects_only=False)
    if reading is not None and reading.answer is not None:
        return apply(ctx, reading.answer, reading.words or typed.strip())
    told = family_notes.checkin_note(ctx, typed.strip(), checkin.save_note)
    return [*told, checkin.ask_change(ctx)]


def ask_which(ctx: Ctx, words: str = "") -> Prompt:
    """「要改成哪一个？」 naming what is recorded now; ``words`` are passed on once she has picked."""
    if words:
        ctx.values["words"] = words
    return checkin.ask_change(ctx)


def change(ctx: Ctx, value: str) -> list[Prompt]:
    """The answer picked at "what should the answer be?" (or "Leave it as it is"); words kept are passed on."""
    if value == checkin.KEEP.value:
        return keep(ctx)
    return apply(ctx, value, str(ctx.values.pop("words", "") or ""))


STILL = N_("All right, {child} this week is still “{answer}”.")


def keep(ctx: Ctx) -> list[Prompt]:
    """"Leave it as it is" (or ``跳过``, ``不改了``, ``算了``) at "what should the answer be?": the answer stands.

    A new-user trial's ``跳过`` there was only told "please choose" (fix6an): she is told what stays recorded.
    Words kept to be passed on once she picked go to the teacher as the check-in's note.
    """
    words = str(ctx.values.pop("words", "") or "")
    recorded = ANSWER_LABELS.get(str(ctx.values.get("answer") or ""))
    said = say(STILL, child=_child(ctx), answer=msg(recorded)) if recorded else say(checkin.NOTHING_MORE)
    told = family_notes.checkin_note(ctx, words, checkin.save_note) if words else []
    ctx.finish()
    return [said, *told]


def apply(ctx: Ctx, answer: str, words: str) -> list[Prompt]:
    """Change the check-in in ``ctx.values`` to ``answer``, ``words`` its note; what she is told.

    As a first answer: what is recorded now, then "what kind of help?" for 需要帮助 (the helper teacher is told by
    :func:`bot.services.checkin_changes.change_answer`) or the note question — unless ``words`` are the note.
    """
    checkin_id = int(ctx.values["checkin_id"])
    if answer == ctx.values.get("answer"):  # 不对，是很好 when 很好 is recorded: nothing to change
        same = say(SAME, child=_child(ctx), answer=msg(ANSWER_LABELS[answer]))
        if not words:
            return [same, checkin.ask_help_kind(ctx) if ctx.conv.state == State.HELP_KIND else checkin.ask_note(ctx)]
        told = family_notes.checkin_note(ctx, words, checkin.save_note)
        ctx.finish()
        return [same, *told]
    result = checkin_changes.change_answer(ctx.uow, guardian_id=ctx.bound().person_id, checkin_id=checkin_id,
                                           answer=answer, now=ctx.now)
    if result == checkins.AnswerResult.ENDED:
        ctx.finish()
        return [checkins.ended_prompt(ctx.uow, checkin_id)]
    if result != checkins.AnswerResult.RECORDED:
        ctx.finish()
        return [say(CANNOT)]
    for kept in ("help_kind", "own_words", "noted"):
        ctx.values.pop(kept, None)
    shown = checkin.after_answer(ctx, answer, checkin.CHANGED)
    if not words:
        return shown
    if answer == "needs_help":  # the words are the help: the helper teacher has them now; the kind is still asked
        ctx.values["noted"] = True
        return [shown[0], *family_notes.checkin_note(ctx, words, checkin.save_note), shown[-1]]
    told = family_notes.checkin_note(ctx, words, checkin.save_note)
    ctx.finish()
    return [shown[0], *told]


def number_meant(ctx: Ctx, number: int) -> list[Prompt] | None:
    """``3`` at the note question a moment after answering ``1``: "change it to 需要帮助?"; else None."""
    if ctx.conv.flow != FLOW or ctx.conv.state != State.NOTE or not 1 <= number <= len(ANSWER_LABELS):
        return None
    answered = ctx.values.get("answered_at")
    if not answered or ctx.now - datetime.fromisoformat(str(answered)) > MEANT_WINDOW:
        return None
    to = list(ANSWER_LABELS)[number - 1]
    if to == ctx.values.get("answer"):
        return None
    ctx.values["to"] = to
    return [ctx.ask(FLOW, State.AMEND, MEANT_NUMBER, {"child": _child(ctx), "answer": msg(ANSWER_LABELS[to])},
                    options=(YES, NOT_A_CHANGE))]


def _just_answered(ctx: Ctx) -> bool:
    """Whether the check-in was answered no more than :data:`MEANT_WINDOW` ago, at its note question."""
    answered = ctx.values.get("answered_at")
    return (ctx.conv.flow == FLOW and ctx.conv.state == State.NOTE and bool(answered)
            and ctx.now - datetime.fromisoformat(str(answered)) <= MEANT_WINDOW)


_NO_FIRST = re.compile(r"\s*([^，,。.；;！!？?\n]+?)\s*[，,。.；;！!？?\n]+\s*(\S.*)", re.S)
"""A message whose first clause stands alone before the rest: ``No, she needs help`` → ``No``, ``she needs help``."""


def negation_meant(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """``No, she needs help`` / ``不是，她需要帮助`` a moment after answering 很好: "change it to 需要帮助?"; else None.

    A new-user trial's guardian answered 很好, then wrote ``No, she needs help``: no correction word (``wrong``,
    ``I meant``), so the words stayed a note and the week stayed good. A plain "no" (the catalogs' everyday no:
    不是, 没有, no, nope) as a clause of its own, within :data:`MEANT_WINDOW` of the answer, followed by words
    naming another answer, is offered as a change — asked, never applied silently, as a number beyond the note
    question's choices is (:func:`number_meant`). Her words are kept: the change's note, or the note if not.
    """
    found = _NO_FIRST.fullmatch(typed)
    if found is None or not _just_answered(ctx) or not everyday.matches(ctx.locale, "no", found[1]):
        return None
    to = answer_in(ctx, found[2], str(ctx.values.get("child_name", "")))
    if to is None or to == ctx.values.get("answer"):
        return None
    ctx.values.update(to=to, meant_words=typed.strip())
    return [ctx.ask(FLOW, State.AMEND, MEANT_NUMBER, {"child": _child(ctx), "answer": msg(ANSWER_LABELS[to])},
                    options=(YES, NOT_A_CHANGE))]


def confirmed(ctx: Ctx, value: str) -> list[Prompt]:
    """Yes or No to "change it to 需要帮助?"; the words that brought the question are the note either way.

    ``words``: what she wrote beyond the answer at an alert (fix6as); ``meant_words``: ``No, she needs help``
    at the note question (fix6ao).
    """
    to = str(ctx.values.pop("to", "") or "")
    words = str(ctx.values.pop("words", "") or "")
    words = str(ctx.values.pop("meant_words", "") or "") or words
    if value == YES.value and to in ANSWER_LABELS and ctx.values.get("at_alert") and _incident_open(ctx):
        return _changed_held(ctx, to, words)
    if value == YES.value and to in ANSWER_LABELS:
        return apply(ctx, to, words)
    recorded = str(ctx.values.get("answer") or "")
    not_changed = say(NOT_CHANGED, child=_child(ctx), answer=msg(ANSWER_LABELS.get(recorded, "")))
    # At an alert her follow-up is set aside (held while the incident is open): no ask. Not a change: her words
    # are the check-in's note, as they were before the question (fix6ao).
    if ctx.values.pop("at_alert", None) or words:
        told = family_notes.checkin_note(ctx, words, checkin.save_note) if words else []
        ctx.finish()
        return [not_changed, *told]
    return [not_changed, checkin.ask_note(ctx)]


def after(ctx: Ctx, answered: checkin_changes.Answered, typed: str) -> list[Prompt] | None:
    """Correction words naming an answer after the follow-up ended (``不对，是一般``): the last answer changed."""
    if ctx.conv.flow:
        return None
    kept = (ctx.conv.flow, ctx.conv.state, dict(ctx.conv.data))
    ctx.conv.data = {**ctx.conv.data, "v": {"checkin_id": answered.checkin_id, "child_name": answered.child_name,
                                            "answer": answered.answer}}
    reading = read(ctx, typed)
    if reading is None or reading.answer is None:
        ctx.conv.flow, ctx.conv.state, ctx.conv.data = kept  # no clear answer: read as before (改一下 asks again)
        return None
    ctx.conv.flow, ctx.conv.state = FLOW, State.NOTE
    return apply(ctx, reading.answer, reading.words)


@dataclass(frozen=True)
class AtAlert:
    """A check-in correction written as the reply to an alert: the check-in, the answer it names, other words."""

    answered: checkin_changes.Answered
    to: str
    words: str


def at_alert(ctx: Ctx, typed: str) -> AtAlert | None:
    """Correction words naming an answer (``不对，是需要帮助``) as the first reply to an alert; else None.

    李雪 answered 刘婷婷's check-in 一般; 张老师's alert about 刘婷婷 arrived on top of "anything to tell the
    teacher?", and her ``不对，是需要帮助`` only acknowledged the alert: the correction was lost (fix6as). The
    check-in is the one of the child the words name, else her latest answered within the change window. Nothing
    is changed here: :func:`offer` asks. Only words that are the answer and nothing more (``不对，是需要帮助``,
    ``按错了应该是3``) are read so: words beyond it may be about the incident, and reach those handling it.
    """
    if ctx.actor is None:
        return None
    named = family_notes.named(ctx, typed)
    answered = checkin_changes.recent_for_child(ctx.uow, guardian_id=ctx.actor.person_id, child_id=named.id,
                                                now=ctx.now) if named is not None else \
        checkin_changes.recent_answer(ctx.uow, guardian_id=ctx.actor.person_id, now=ctx.now)
    if answered is None:
        return None
    kept = ctx.conv.data
    ctx.conv.data = {**kept, "v": {"checkin_id": answered.checkin_id, "child_name": answered.child_name,
                                   "answer": answered.answer}}
    try:
        reading = read(ctx, typed)
    finally:
        ctx.conv.data = kept
    if reading is None or reading.answer is None or reading.answer == answered.answer or reading.words:
        # 不对，她是发烧不是摔倒 corrects the alert, not the week: words beyond the answer stay the alert's reply
        return None
    return AtAlert(answered, reading.answer, reading.words)


def offer(ctx: Ctx, found: AtAlert) -> Prompt:
    """「您是要把刘婷婷这周改成“需要帮助”吗？」 — asked, never applied silently, after the alert's acknowledgement."""
    ctx.finish()
    answered = found.answered
    ctx.conv.data["v"] = {"checkin_id": answered.checkin_id, "child_name": answered.child_name,
                          "answer": answered.answer, "to": found.to, "at_alert": True,
                          **({"words": found.words} if found.words else {})}
    return ctx.ask(FLOW, State.AMEND, MEANT_NUMBER, {"child": _child(ctx), "answer": msg(ANSWER_LABELS[found.to])},
                   options=(YES, NOT_A_CHANGE))


def _incident_open(ctx: Ctx) -> bool:
    """Whether the check-in's child has an emergency open (its follow-up questions wait: :mod:`note_hold`)."""
    child = incident_open.checkin_child(ctx.uow, int(ctx.values["checkin_id"]))
    return child is not None and incident_open.open_emergency(ctx.uow, child[0], reader_id=reader(ctx))


def _changed_held(ctx: Ctx, to: str, words: str) -> list[Prompt]:
    """The change made at an alert about the same child: said, its follow-up left waiting for the incident.

    "What kind of help?" asked now would take her next question about the incident (``在哪个医院``) as the help
    (fix6u): the follow-up set aside under the alert stays held, and comes back once the incident is closed.
    """
    checkin_id = int(ctx.values["checkin_id"])
    result = checkin_changes.change_answer(ctx.uow, guardian_id=ctx.bound().person_id, checkin_id=checkin_id,
                                           answer=to, now=ctx.now)
    child_name = str(ctx.values.get("child_name", ""))
    told = family_notes.checkin_note(ctx, words, checkin.save_note) if words and result == \
        checkins.AnswerResult.RECORDED else []
    ctx.finish()
    if result == checkins.AnswerResult.ENDED:
        return [checkins.ended_prompt(ctx.uow, checkin_id)]
    if result != checkins.AnswerResult.RECORDED:
        return [say(CANNOT)]
    for entry in ctx.conv.agenda:  # the follow-up set aside reads the answer recorded now (a later correction)
        v = (entry.get("data") or {}).get("v") if entry.get("kind") == "saved" else None
        if isinstance(v, dict) and v.get("checkin_id") == checkin_id:
            v["answer"] = to
    return [changed_prompt(child_name, to), *told]
