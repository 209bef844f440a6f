"""The weekly check-in (每周联系): one-tap answer buttons and the optional follow-up.

``ci:<checkin_id>:<g|s|h>`` (decoded by :mod:`bot.messages.payloads`) records the answer; then a short follow-up:
for "needs help" what kind of help (health / study / money / safety / other),
then free text or Skip; for the other answers free text or Skip. The note is
saved with ``record_checkin_note``. ``cin:<checkin_id>:skip`` ends the
follow-up from the check-in message itself. See docs/flows/checkin.md.

The answer is confirmed by what was recorded (``已记录：杨秀云这周很好``) and,
for a while after it (``bot.services.checkin_changes``), "Change my answer"
or its words (``改一下``, ``不对``) ask the week's question again
(:func:`reopen`). An acknowledgement or a skip word at the note question
(``收到``, ``👍``) is no note: it ends the follow-up; thanks (``谢谢老师``) are a note like any
words, passed on to the class teacher.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from enum import StrEnum

from bot.domain.enums import CheckinAnswer
from bot.flows import (
    checkin_all,
    checkin_elsewhere,
    checkin_meant,
    checkin_named,
    checkin_note_clear,
    checkin_others,
    checkin_split,
    family_notes,
)
from bot.flows import words as everyday
from bot.flows.common import EMPTY_TEXT, INVALID_BUTTON, Ctx, Option, say, text_problem
from bot.messages.prompt import N_, Prompt, msg, text
from bot.services import checkins
from bot.services.checkin_messages import ANSWER_LABELS, HELP_KIND_LABELS
from bot.services.family_notes import checkin_child

log = logging.getLogger(__name__)
FLOW = "checkin"


class State(StrEnum):
    """The flow's states (see its diagram in docs/flows/)."""

    HELP_KIND = "help_kind"
    NOTE = "note"
    CHANGE = "change"
    MEANT = "meant"
    AMEND = "amend"  # "change it to 需要帮助?" after a number meant for the check-in (bot.flows.checkin_amend)
    ABOUT = "about"  # "which child?": unnamed words while another child's incident is open (checkin_elsewhere)
    CLEAR = "clear"  # 没事了 at the note: the other child's all clear, or nothing to add? (checkin_note_clear)


HELP_KINDS = tuple(Option(label, value) for value, label in HELP_KIND_LABELS.items())
SKIP = Option(N_("Skip"), "skip")
CHANGE = Option(N_("Change my answer"), "change")
ANSWERS = tuple(Option(label, value) for value, label in ANSWER_LABELS.items())
KEEP = Option(N_("Leave it as it is"), "keep")
RECORDED = N_("Thank you! Recorded: {child} this week: {answer}.")
CHANGED = N_("Changed: {child} this week: {answer}.")
HELPER_TOLD = N_("The helper teacher has been told and will contact you.")
NOTHING_MORE = N_("Thank you. Nothing more is needed.")
ASK_AGAIN = N_("What should the answer be: how is {child} this week?")
WHICH = N_("Change it to which one? Recorded now: {child} this week: {answer}.")


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
    if result == checkins.AnswerResult.MISSED:  # last week's, replaced by this week's: never recorded as "this week"
        return [checkins.missed_prompt(ctx.uow, checkin_id, ctx.settings.timezone)]
    if result != checkins.AnswerResult.RECORDED:
        return [say(INVALID_BUTTON)]
    ctx.finish()
    ctx.conv.data["v"] = {"checkin_id": checkin_id, "child_name": checkins.child_name(ctx.uow, checkin_id)}
    return after_answer(ctx, answer.value, RECORDED)


def after_answer(ctx: Ctx, answer: str, said: str) -> list[Prompt]:
    """What was recorded, then the follow-up (the kind of help, or a note with "Change my answer").

    The answer and when it was given are kept: words correcting it, or a number meant for the check-in, are read
    against them (:mod:`bot.flows.checkin_amend`).
    """
    ctx.values["answer"], ctx.values["answered_at"] = answer, ctx.now.isoformat()
    recorded = say(said, child=_child(ctx), answer=msg(ANSWER_LABELS[answer]))
    if answer == CheckinAnswer.NEEDS_HELP.value:
        return [
            replace(recorded, lines=((HELPER_TOLD, {}),)),
            _ask_help_kind(ctx),
        ]
    return [recorded, _ask_note(ctx)]


def _ask_help_kind(ctx: Ctx) -> Prompt:
    return ctx.ask(FLOW, State.HELP_KIND, N_("What kind of help does {child} need?"),
                   {"child": _child(ctx)}, options=(*HELP_KINDS, CHANGE))


def reopen(ctx: Ctx, checkin_id: int, child_name: str, answer: str | None = None) -> list[Prompt]:
    """"改一下": the week's question again, to change the answer just given (the old one stands until then).

    ``answer``: the one recorded (else the running follow-up's), kept to tell a change from the same answer.
    """
    answer = answer or (ctx.values.get("answer") if ctx.conv.flow == FLOW else None)
    ctx.finish()
    ctx.conv.data["v"] = {"checkin_id": checkin_id, "child_name": child_name, **({"answer": answer} if answer else {})}
    return [_ask_change(ctx)]


def _ask_change(ctx: Ctx) -> Prompt:
    """「要改成哪一个？」 naming the answer recorded now (按错了, 改一下: fix6ak), else the week's question."""
    recorded = ANSWER_LABELS.get(str(ctx.values.get("answer") or ""))
    if recorded is None:
        return ctx.ask(FLOW, State.CHANGE, ASK_AGAIN, {"child": _child(ctx)}, options=(*ANSWERS, KEEP))
    return ctx.ask(FLOW, State.CHANGE, WHICH, {"child": _child(ctx), "answer": msg(recorded)},
                   options=(*ANSWERS, KEEP))


def _ask_note(ctx: Ctx) -> Prompt:
    # The follow-up names the child: with two grandchildren, "the teacher" alone is ambiguous (issue 6).
    return ctx.ask(
        FLOW, State.NOTE, N_("Anything you would like to tell {child}'s teacher? Write a few words, or choose Skip."),
        {"child": _child(ctx)}, options=(SKIP, CHANGE), prose=True,
    )


def _asked(ctx: Ctx, state: State) -> Prompt:
    """The follow-up question of ``state`` asked again."""
    if state is State.CHANGE:
        return _ask_change(ctx)
    return _ask_note(ctx) if state is State.NOTE else _ask_help_kind(ctx)


def _child(ctx: Ctx) -> dict[str, str]:
    return text(str(ctx.values.get("child_name", "")))


def on_skip_button(ctx: Ctx, checkin_id: int) -> list[Prompt]:
    """``cin:<id>:skip``: no follow-up note for this check-in."""
    if ctx.conv.flow == FLOW and ctx.values.get("checkin_id") == checkin_id:
        kind = ctx.values.get("help_kind")
        ended = _save(ctx, "", kind) if kind else None
        ctx.finish()
        return [ended or say(NOTHING_MORE)]
    return [say(INVALID_BUTTON)]


def on_choice(ctx: Ctx, value: str) -> list[Prompt]:
    """A follow-up option was picked."""
    state = State(ctx.conv.state or "")
    if state is State.ABOUT:
        return checkin_elsewhere.on_choice(ctx, value, _ask_note, _save)
    if state is State.CLEAR:
        return checkin_note_clear.on_choice(ctx, value, _ask_note, _skip)
    if value == CHANGE.value:
        return reopen(ctx, int(ctx.values["checkin_id"]), str(ctx.values.get("child_name", "")))
    if state in (State.CHANGE, State.AMEND):
        from bot.flows import checkin_amend  # (it builds on this flow)

        return checkin_amend.change(ctx, value) if state is State.CHANGE else checkin_amend.confirmed(ctx, value)
    if state is State.MEANT:
        return _meant(ctx, value)
    if state is State.HELP_KIND and ctx.values.get("noted"):  # the words came first (checkin_worry): done
        return _skip(ctx, value)
    if state is State.HELP_KIND:
        ctx.values["help_kind"] = value
        return [_ask_note(ctx)]
    return _skip(ctx)


def _meant(ctx: Ctx, value: str) -> list[Prompt]:
    """The answer word was meant for the other child (his check-in answered), or is the note after all."""
    meant = ctx.values.pop("meant", None) or {}
    pressed = checkin_meant.picked_payload(ctx, meant) if value == checkin_meant.YES_VALUE else None
    if pressed is None:  # No (or his check-in was answered meanwhile): the words are the note, as typed
        told = family_notes.checkin_note(ctx, str(meant.get("word") or ""), _save)
        ctx.finish()
        return told
    _skip(ctx)  # her note question ends with nothing more (its kind of help, if any, kept)
    return on_answer(ctx, pressed.checkin_id, pressed.answer)


def _skip(ctx: Ctx, kind: str | None = None) -> list[Prompt]:
    kind = kind or ctx.values.get("help_kind")  # Skip: keep at least the kind of help
    ended = _save(ctx, "", kind) if kind else None
    ctx.finish()
    return [ended or say(NOTHING_MORE)]


ANSWER_KEPT = N_("All right. Your answer about {child} is kept; nothing more is needed.")


def cancel(ctx: Ctx) -> list[Prompt]:
    """``取消`` after the answer (at its note, the kind of help, or "what should the answer be"): the answer stands.

    Nothing is undone — the answer was recorded when it was given — so the
    reply says it is kept, never "nothing was saved" (found by a trial). At "which child?" (在哪个医院 while
    another child's incident is open) her words are not sent, and she is told so (fix6au).
    """
    dropped = checkin_elsewhere.cancel(ctx)
    if dropped is not None:
        return dropped
    if ctx.conv.state == State.CHANGE:  # 算了 at "change it to which one?": the recorded answer named (fix6an)
        from bot.flows import checkin_amend  # (it builds on this flow)

        return checkin_amend.keep(ctx)
    kind = ctx.values.get("help_kind")  # the kind of help, when picked, is kept as well
    ended = _save(ctx, "", kind) if kind and ctx.conv.state == State.NOTE else None
    child = _child(ctx)
    ctx.finish()
    return [ended or say(ANSWER_KEPT, child=child)]


def on_text(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """The free-text follow-up; None when this state wants a choice.

    ``改一下`` / ``不对`` ask the week's question again; ``收到``, ``👍`` or a skip word is no note.
    """
    state = State(ctx.conv.state or "")
    if state is State.ABOUT:  # 刘帅 / 婷婷 at "which child?" (在哪个医院 while 刘帅's incident is open: fix6ap)
        return checkin_elsewhere.on_text(ctx, typed, _ask_note, _save)
    if state is State.CLEAR:  # 刘帅 / 婷婷 / 没有 at "您是说刘帅已经平安了，还是…" (fix6aw)
        return checkin_note_clear.on_text(ctx, typed, _ask_note, _skip)
    if state is State.MEANT:  # 是 / 不是 at "was “一般” meant for 刘帅?"
        said = next((v for kind, v in (("yes", checkin_meant.YES_VALUE), ("no", checkin_meant.NO_VALUE))
                     if everyday.matches(ctx.locale, kind, typed)), None)
        return _meant(ctx, said) if said else None
    others = checkin_others.split(ctx, typed) if state in (State.HELP_KIND, State.NOTE, State.CHANGE) else None
    if others is not None:  # 杨秀云发烧了 at 婷婷's follow-up: about someone else, never 婷婷's note (fix6ag)
        told = checkin_others.passed_on(ctx, others[1])
        return [*told, *((on_text(ctx, others[0]) or [_asked(ctx, state)]) if others[0] else [_asked(ctx, state)])]
    found = checkin_split.parts(ctx, typed) if state is not State.CHANGE else None
    if found is not None:  # 婷婷很好，帅帅不太好 at 刘帅's follow-up: each part to its own child (fix6q)
        own_id = checkin_child(ctx.uow, int(ctx.values["checkin_id"]))
        told = checkin_split.others(ctx, found, own_id)
        own = next((words for child, words in found if child.id == own_id), None)
        return [*told, *((on_text(ctx, own) or []) if own else [_asked(ctx, state)])]
    from bot.flows import checkin_amend  # (it builds on this flow)

    amended = checkin_amend.on_text(ctx, typed, state)  # 刚才按错了应该是需要帮助 at the note: changed (fix6ak)
    if amended is not None:
        return amended
    if state is not State.CHANGE and everyday.matches(ctx.locale, "change", typed):
        return reopen(ctx, int(ctx.values["checkin_id"]), str(ctx.values.get("child_name", "")))
    done = everyday.is_acknowledgement(ctx.locale, typed) or everyday.matches(ctx.locale, "skip", typed)
    if state is State.HELP_KIND and done and ctx.values.get("noted"):  # 好的 after the words were kept: done
        return _skip(ctx)
    if state is State.HELP_KIND and not (done or everyday.says_nothing(typed)):
        # Words at "what kind of help?" (``她奶奶住院了没人管她做作业``) are the help itself, in the guardian's
        # own words: recorded as "other" with them as the note, and the helper teacher reads them as written.
        # A kind guessed from them was once shown as the guardian's choice (``安全`` for a grandmother in
        # hospital, 身体健康 when it was the grandmother who was ill: a new-user trial); asking "did you mean
        # 安全?" would cost an elderly guardian a tap and lose nothing the words do not say. Words that cannot
        # be kept (over 500 characters) choose nothing: the question on screen is asked again.
        problem = text_problem(typed)
        if problem is not None:
            return [problem, _ask_help_kind(ctx)]
        ctx.values["help_kind"] = "other"
        ctx.values["own_words"] = True
        state = State.NOTE
    if state is not State.NOTE:
        return None
    from bot.flows.report_words import without_keyword  # (imports the commands, which import this flow)

    typed = without_keyword(typed)  # 报告 孩子发烧了 at the note: the teacher reads 孩子发烧了 (fix6v)
    # 谢谢老师 at "anything to tell the teacher?" is words for the teacher, the note itself (as thanks at the
    # week's question are passed on, bot.flows.closed_seen): not a silent end like 收到 or 跳过.
    thanking = everyday.matches(ctx.locale, "thanks", typed)
    if not thanking and (everyday.is_acknowledgement(ctx.locale, typed) or everyday.matches(ctx.locale, "skip",
                                                                                             typed)):
        return _skip(ctx)
    both = checkin_all.answered(ctx, typed, ctx.finish) if ctx.values.get("answer") else None
    if both is not None:  # 两个都很好 at 刘婷婷's note, 刘帅's check-in waiting: his answer too, both named (fix6aq)
        return both
    named = checkin_named.named_answer(ctx, typed)
    if named is not None:  # "婷婷很好" after 刘帅's answer: 刘婷婷's waiting check-in, not a note on 刘帅's
        ctx.finish()
        return on_answer(ctx, named.checkin_id, named.answer)
    meant = checkin_meant.other_waiting(ctx, typed, int(ctx.values["checkin_id"]))
    if meant is not None:  # "so-so" while 刘帅's check-in waits behind 刘婷婷's note question: his answer? (fix6x)
        ctx.values["meant"] = meant
        return [ctx.ask(FLOW, State.MEANT, checkin_meant.MEANT, {"word": text(meant["word"]),
                                                                 "other": text(meant["other"])},
                        options=checkin_meant.options(meant["other"], str(ctx.values.get("child_name", ""))))]
    problem = say(EMPTY_TEXT) if everyday.says_nothing(typed) else text_problem(typed)  # 😀 alone is no note
    if problem is not None:
        return [problem, _ask_note(ctx)]
    elsewhere = checkin_elsewhere.note_about_incident(ctx, typed.strip(), _ask_note)  # 婷婷手还疼吗 at 刘帅's note
    elsewhere = elsewhere or checkin_elsewhere.unnamed_note(ctx, typed.strip())  # 在哪个医院: which child? (fix6ap)
    if elsewhere is not None:
        return elsewhere
    # Kept for the helper's digest and passed to the class teacher now, under the child it names (issue 6.4).
    told = family_notes.checkin_note(ctx, typed.strip(), _save)
    ctx.finish()
    return told


def keep_emergency_note(ctx: Ctx, note: str) -> Prompt | None:
    """Emergency words typed at the note question (already sent URGENT): kept as the note, the follow-up ended.

    ``note`` empty: the words named another child, so the check-in keeps only its kind of help.
    """
    kind = ctx.values.get("help_kind")
    ended = _save(ctx, note, kind) if note or kind else None
    ctx.finish()
    return ended


def keep_emergency_help(ctx: Ctx, words: str) -> Prompt | None:
    """Harm words typed at "what kind of help?" (already sent URGENT): the help in her own words, ended (fix6ai).

    Recorded as the words at that question always are (kind "other", the words the note), and the question is
    not asked again: the family was told what to do now and who phones them.
    """
    ctx.values["help_kind"] = "other"
    ctx.values["own_words"] = True
    return keep_emergency_note(ctx, words)


def at_help_kind(ctx: Ctx) -> int | None:
    """The check-in whose "what kind of help?" question is being answered, else None."""
    if ctx.conv.flow != FLOW or ctx.conv.state != State.HELP_KIND or ctx.values.get("noted"):
        return None
    return int(ctx.values["checkin_id"])


def at_note(ctx: Ctx) -> int | None:
    """The check-in whose note question is being answered, else None."""
    if ctx.conv.flow != FLOW or ctx.conv.state != State.NOTE:
        return None
    return int(ctx.values["checkin_id"])


def _save(ctx: Ctx, note: str, help_kind: str | None = None, relayed: bool = False) -> Prompt | None:
    """Store the note; the "no longer your child" answer instead when the relation ended meanwhile.

    ``relayed``: the note is passed on to the class teacher now too (``bot.flows.family_notes.checkin_note``).
    A note typed at "what kind of help?" is the help in the guardian's own words (``own_words``): the helper
    teacher reads it quoted, with no kind named.
    """
    actor = ctx.bound()
    checkin_id = int(ctx.values["checkin_id"])
    result = checkins.record_checkin_note(
        ctx.uow, guardian_id=actor.person_id, checkin_id=checkin_id, note=note, now=ctx.now, help_kind=help_kind,
        relayed=relayed, own_words=bool(ctx.values.get("own_words")) and bool(note),
    )
    log.info("person %s added a note to check-in %s: %s", actor.person_id, checkin_id, result)
    return checkins.ended_prompt(ctx.uow, checkin_id) if result == checkins.AnswerResult.ENDED else None


save_note = _save
ask_note = _ask_note
ask_help_kind = _ask_help_kind
ask_change = _ask_change
"""The note saver :func:`bot.flows.family_notes.checkin_note` is given (``bot.flows.checkin_worry`` too)."""
