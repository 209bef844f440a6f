"""/talk [name] (谈心): the talk record card (谈心记录卡) of a class teacher or paired helper.

States: pick the child → (this period's talk already recorded: record another? Yes /
No) → mood → study → daily life → safety concerns → note → follow-up → summary
(Save / Start over / Cancel). A card saved with a safety
concern is never just "saved": the author and the school's safeguarding lead
get a follow-up task, the lead is told, and the author is offered to report an
incident about the child at once. See docs/flows/talk.md.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import replace
from enum import StrEnum
from typing import Any

from bot.domain.enums import Rating, Role, TalkKind
from bot.domain.periods import local_date
from bot.domain.privacy import AuditAction, ConsentStatus
from bot.flows import incident, pick, talk_save
from bot.flows.common import (
    CANCELLED,
    INVALID_BUTTON,
    YES_NO,
    Ctx,
    Option,
    say,
    text_problem,
)
from bot.messages.prompt import N_, Prompt, day, dt, msg, text
from bot.services import audit, consent, due, safety_concerns, talks
from bot.services.access import Purpose

log = logging.getLogger(__name__)
FLOW = "talk"
MAX_LISTED = 20  # children offered as choices by /talk alone
TALK_ROLES = frozenset({Role.CLASS_TEACHER, Role.HELPER_TEACHER, Role.CARING_PARENT})


class State(StrEnum):
    """The flow's states (see its diagram in docs/flows/)."""

    PICK_CHILD = "pick_child"
    ANOTHER = "another"  # this period's talk with the child is already recorded by this person
    MOOD = "mood"
    STUDY = "study"
    DAILY_LIFE = "daily_life"
    SAFETY = "safety"
    NOTE = "note"
    FOLLOW_UP = "follow_up"
    CONFIRM = "confirm"
    SAFETY_OFFER = "safety_offer"


RATING_LABELS = {Rating.GOOD: N_("Good"), Rating.FAIR: N_("Fair"), Rating.POOR: N_("Poor")}
RATINGS = tuple(Option(label, value.value) for value, label in RATING_LABELS.items())
SKIP = Option(N_("Skip"), "skip")
CONFIRM = (Option(N_("Save"), "save"), Option(N_("Start over"), "restart"), Option(N_("Cancel"), "cancel"))
QUESTIONS = {
    State.MOOD: N_("Talk with {name}. How was the child's mood?"),
    State.STUDY: N_("How is {name} doing with study?"),
    State.DAILY_LIFE: N_("How is {name}'s daily life (meals, sleep, hygiene)?"),
}
SAFETY_OFFER = (Option(N_("Report an incident"), "report"), Option(N_("Not now"), "later"))
# The harmless answer first: mood, study and daily life offer 1 = 好, so a teacher tapping 1 down the card once
# filed a safety concern (a task, and the principal told) with "1. 是 2. 否" (a new-user trial). Typed 是 / 有 /
# yes still pick the concern, 否 / 没有 / no the other (bot.flows.words.LABEL_WORDS); 好 or ok pick neither.
SAFETY_ANSWERS = (Option(N_("No concern"), "no"), Option(N_("Yes, a concern"), "yes"))
# The same for "needs follow-up?" (fix6l): with 1. 是 2. 否 a teacher tapping 1 down the card (after the safety
# question's 2. 有, too) filed a follow-up task she never meant; each answer now says what it does, harmless first.
FOLLOW_UP_ANSWERS = (Option(N_("No follow-up needed"), "no"), Option(N_("Needs follow-up: add a task for me"), "yes"))
NO_CONSENT = N_("{name}'s guardian has not agreed to the privacy notice, so no talk record can be kept. The school "
                "can enter a signed paper form (guanai consent). If the child may be in danger, report an incident: "
                "/incident {name}")
NO_CONSENT_SINCE = {  # a guardian who answered no, or took their yes back, is told apart from one not asked yet
    ConsentStatus.WITHDRAWN: N_("{name}'s guardian withdrew consent on {date}, so no talk record can be kept. The "
                                "school can talk with the family; a new signed paper form can be entered (guanai "
                                "consent). If the child may be in danger, report an incident: /incident {name}"),
    ConsentStatus.DECLINED: N_("{name}'s guardian declined the privacy notice on {date}, so no talk record can be "
                               "kept. The school can talk with the family; a signed paper form can be entered (guanai "
                               "consent). If the child may be in danger, report an incident: /incident {name}"),
}
ALREADY = {  # (kind owed, several recorded) → the question; {when}: the latest record's time
    (TalkKind.CLASS_TEACHER_MONTHLY, False): N_("You already recorded this month's talk with {name} on {when}. "
                                                "Record another one?"),
    (TalkKind.CLASS_TEACHER_MONTHLY, True): N_("You already recorded this month's talk with {name}, {count} times "
                                               "(the last on {when}). Record another one?"),
    (TalkKind.VOLUNTEER_WEEKLY, False): N_("You already recorded this week's talk with {name} on {when}. "
                                           "Record another one?"),
    (TalkKind.VOLUNTEER_WEEKLY, True): N_("You already recorded this week's talk with {name}, {count} times "
                                          "(the last on {when}). Record another one?"),
}
SAVED = N_("Saved: the talk with {name}.")
NEXT = {State.MOOD: State.STUDY, State.STUDY: State.DAILY_LIFE, State.DAILY_LIFE: State.SAFETY}


def start(ctx: Ctx, name: str) -> list[Prompt]:
    """Begin: a name picks the child; no name lists the children still due this period."""
    actor = ctx.bound()
    if not TALK_ROLES & actor.roles:
        ctx.finish()
        return [say(N_("Talk records are for class teachers, helper teachers and caring-parent volunteers."))]
    if name:
        return _by_name(ctx, name)
    due_now = due.talks_due(ctx.uow, person_id=actor.person_id, now=ctx.now, timezone=ctx.timezone)
    seen: dict[int, pick.ChildRef] = {}
    for item in due_now:
        if not item.open:
            continue  # this period's talk is held; a missed week cannot be made up by another talk now
        seen.setdefault(item.child_id, pick.ChildRef(item.child_id, item.child_name, item.class_name))
    if not seen:
        return [ctx.ask(FLOW, State.PICK_CHILD,
                        N_("No talks are due — well done. Which child did you talk with? Send the name."),
                        free_text=True)]
    children = list(seen.values())
    # A keyboard (or a numbered list on WeChat) stays usable up to about a screenful.
    shown, rest = children[:MAX_LISTED], len(children) - MAX_LISTED
    lines = ((N_("… and {count} more: send the child's name."), {"count": rest}),) if rest > 0 else ()
    return [
        ctx.ask(
            FLOW, State.PICK_CHILD, N_("Which child did you talk with? These are still due:"),
            options=[pick.child_option(c) for c in shown], lines=lines, free_text=True,
        )
    ]


def _by_name(ctx: Ctx, name: str) -> list[Prompt]:
    children = pick.by_name(ctx, name, Purpose.TALK)
    if not children:
        return pick.not_found(ctx, FLOW, State.PICK_CHILD, name, Purpose.TALK)
    if len(children) > 1:
        return [pick.ask_which(ctx, FLOW, State.PICK_CHILD, name.strip(), children)]
    return _picked(ctx, children[0])


def _no_consent(ctx: Ctx, child_id: int, name: Any) -> Prompt:
    """Why no card can be kept: not agreed yet, or declined or withdrawn on a date (said so, not "not yet")."""
    status, at = consent.latest_answer(ctx.uow, child_id)
    if at is None or status not in NO_CONSENT_SINCE:
        return say(NO_CONSENT, name=name)
    return say(NO_CONSENT_SINCE[status], name=name, date=day(local_date(at, ctx.timezone)))


def _picked(ctx: Ctx, child: pick.ChildRef) -> list[Prompt]:
    """The child is chosen: the card's first question, or why no card can be kept (no consent).

    When this person already recorded this period's talk with the child (a
    class teacher's this month, a helper's or volunteer's this week), the bot
    says when and asks whether to record another one: two cards of one day
    were once logged unawares and left two follow-up tasks alike.
    """
    if not consent.is_granted(ctx.uow, child.id):
        ctx.finish()
        return [_no_consent(ctx, child.id, text(child.name))]
    ctx.conv.data["v"] = {}
    pick.remember(ctx, child)
    earlier = talks.recorded_this_period(ctx.uow, author_id=ctx.bound().person_id, child_id=child.id, now=ctx.now)
    if earlier.times:
        several = len(earlier.times) > 1
        return [ctx.ask(FLOW, State.ANOTHER, ALREADY[(TalkKind(earlier.kind), several)],
                        {"name": pick.child_param(ctx), "when": dt(earlier.times[-1]), "count": len(earlier.times)},
                        YES_NO)]
    return [_ask(ctx, State.MOOD)]


def _ask(ctx: Ctx, state: State) -> Prompt:
    name = pick.child_param(ctx)
    if state in QUESTIONS:
        return ctx.ask(FLOW, state, QUESTIONS[state], {"name": name}, RATINGS)
    if state is State.SAFETY:
        return ctx.ask(FLOW, state, N_("Any safety concerns about {name}?"), {"name": name}, SAFETY_ANSWERS)
    if state is State.NOTE and ctx.values.get("note"):  # words kept at an earlier question (:func:`_kept`)
        return ctx.ask(FLOW, state, N_("The note about the talk with {name} so far: “{note}”. Write more to add "
                                       "to it, or choose Skip."),
                       {"name": name, "note": text(str(ctx.values["note"]))}, (SKIP,), prose=True)
    if state is State.NOTE:
        return ctx.ask(FLOW, state, N_("Write a short note about the talk with {name}, or choose Skip."),
                       {"name": name}, (SKIP,), prose=True)
    if state is State.FOLLOW_UP:
        return ctx.ask(FLOW, state, N_("Does {name} need follow-up?"), {"name": name}, FOLLOW_UP_ANSWERS)
    return ctx.ask(FLOW, State.CONFIRM, N_("Talk with {name} — please check and save:"), {"name": name}, CONFIRM,
                   lines=_summary(ctx))


def _yes_no(value: bool) -> dict:
    return msg(N_("Yes") if value else N_("No"))


COUNTS_AS = {  # which talk owed this card counts as: by the author's relation to the child (talks.kind_for)
    TalkKind.CLASS_TEACHER_MONTHLY: N_("Counts as: this month's talk of {name}'s class teacher"),
    TalkKind.VOLUNTEER_WEEKLY: N_("Counts as: this week's talk of {name}'s helper (helper teacher or caring parent)"),
}


def _counts_as(ctx: Ctx) -> tuple[str, dict]:
    """"Counts as: this month's talk of 杨秀云's class teacher" — the talk owed that this card records.

    A class teacher who is also another class's helper could not tell from the card whether it filed her monthly
    talk or a weekly one (fix6ac): the kind follows her relation to this child, and the card says which.
    """
    kind = TalkKind(talks.kind_for(ctx.uow, author_id=ctx.bound().person_id, child_id=int(ctx.values["child_id"])))
    return COUNTS_AS[kind], {"name": pick.child_param(ctx)}


def _summary(ctx: Ctx) -> tuple[tuple[str, dict], ...]:
    v = ctx.values
    note = v.get("note")
    return (
        _counts_as(ctx),
        (N_("Mood: {value}"), {"value": msg(RATING_LABELS[Rating(v["mood"])])}),
        (N_("Study: {value}"), {"value": msg(RATING_LABELS[Rating(v["study"])])}),
        (N_("Daily life: {value}"), {"value": msg(RATING_LABELS[Rating(v["daily_life"])])}),
        # In the words of the question's own answers (安全隐患：没有 / 有), not 否 / 是 beside "1. 没有 2. 有" (fix6p).
        (N_("Safety concerns: {value}"), {"value": msg(SAFETY_ANSWERS[1 if v["safety"] else 0].label)}),
        (N_("Note: {value}"), {"value": text(note) if note else "—"}),
        (N_("Follow-up needed: {value}"), {"value": _yes_no(v["follow_up"])}),
    )


def on_choice(ctx: Ctx, value: str) -> list[Prompt]:
    """An answer picked from the current question's options."""
    state = State(ctx.conv.state or "")
    if state is State.SAFETY_OFFER:
        child_id, note = int(ctx.values["child_id"]), ctx.values.get("talk_note")
        if value == "report":
            ctx.finish()
            return incident.start_for_child(ctx, child_id, talk_note=note)
        ctx.finish()
        return [say(N_("All right. The follow-up task stays on your list."))]
    if state is State.ANOTHER:
        if value == "yes":
            return [_ask(ctx, State.MOOD)]
        name = pick.child_param(ctx)
        ctx.finish()
        return [say(N_("All right: no further talk with {name} is recorded."), name=name)]
    if state is State.PICK_CHILD:
        child = pick.by_choice(ctx, value, Purpose.TALK)
        if child is None:
            ctx.finish()
            return [say(INVALID_BUTTON)]
        return _picked(ctx, child)
    if state in NEXT:
        ctx.values[state.value] = value
        return [_ask(ctx, NEXT[state])]
    if state is State.SAFETY:
        ctx.values["safety"] = value == "yes"
        return [_ask(ctx, State.NOTE)]
    if state is State.NOTE:  # Skip: words kept at an earlier question stay the note
        return [_ask(ctx, State.FOLLOW_UP)]
    if state is State.FOLLOW_UP:
        ctx.values["follow_up"] = value == "yes"
        return [_ask(ctx, State.CONFIRM)]
    # CONFIRM
    if value == "restart":  # a clean card: its answers and note are asked afresh (the child stays)
        for key in ("mood", "study", "daily_life", "safety", "note", "follow_up"):
            ctx.values.pop(key, None)
        return [_ask(ctx, State.MOOD)]
    if value == "cancel":
        ctx.finish()
        return [say(CANCELLED)]
    return _save(ctx)


_STEPS = (State.MOOD, State.STUDY, State.DAILY_LIFE, State.SAFETY, State.NOTE, State.FOLLOW_UP, State.CONFIRM)


def back(ctx: Ctx) -> list[Prompt] | None:
    """``返回``: the card's question before this one, asked again; None at the first (then it cancels)."""
    state = State(ctx.conv.state or "")
    if state not in _STEPS or state is State.MOOD:
        return None
    return [_ask(ctx, _STEPS[_STEPS.index(state) - 1])]


def on_text(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """Typed text: a child's name while picking, the note; None when this state wants a choice."""
    state = State(ctx.conv.state or "")
    if state is State.PICK_CHILD:
        return _by_name(ctx, typed)
    if state in _CARD_CHOICES | {State.NOTE} and state is not State.CONFIRM and talk_save.is_save(ctx, typed):
        return _save_now(ctx, state)
    if state is State.NOTE:
        problem = _add_to_note(ctx, typed)
        if problem is not None:
            return [problem, _ask(ctx, State.NOTE)]
        return [_ask(ctx, State.FOLLOW_UP)]
    if state in _CARD_CHOICES and _is_sentence(typed):
        return _kept(ctx, state, typed)
    return None


_CARD_CHOICES = frozenset({State.MOOD, State.STUDY, State.DAILY_LIFE, State.SAFETY, State.FOLLOW_UP, State.CONFIRM})
MIN_SENTENCE_LETTERS = 4  # "孩子想妈妈", "she cried": words about the child; "哈哈", "meh" are no note
KEPT = N_("Kept as the note of this talk: “{words}” (you will see it before saving). Please still answer:")


def _save_now(ctx: Ctx, state: State) -> list[Prompt]:
    """``保存`` before the card's Save: saved as it stands from the note on, else what is missing (talk_save)."""
    if state not in (State.NOTE, State.FOLLOW_UP):
        return [say(talk_save.NOT_YET, name=pick.child_param(ctx), missing=talk_save.missing(ctx)), _ask(ctx, state)]
    ctx.values["follow_up"] = False  # the harmless first answer, and said so below
    name, safety = pick.child_param(ctx), bool(ctx.values.get("safety"))
    saved = _save(ctx)
    if not saved or saved[0].message_id != SAVED:  # not saved (consent withdrawn, child gone): said so, no more
        return saved
    if safety:  # a safety concern adds a task anyway: the offer below says which, never "no task" (fix6ah)
        return saved
    return [saved[0], say(talk_save.NO_TASK, name=name), *saved[1:]]


def _is_sentence(typed: str) -> bool:
    """Whether words typed at a choice are a sentence about the child (kept), rather than a stray word (asked again)."""
    return sum(1 for c in typed if unicodedata.category(c).startswith("L")) >= MIN_SENTENCE_LETTERS


def _kept(ctx: Ctx, state: State, typed: str) -> list[Prompt]:
    """A sentence typed at one of the card's choices: kept as (part of) the note, and the question asked again.

    Nothing said is dropped (DESIGN.md "Conversations"): a teacher who typed
    what the child told her at "Does 杨秀云 need follow-up?" once found the
    card saved with "Note: —" (found by a new-user trial).
    """
    problem = _add_to_note(ctx, typed)
    if problem is not None:
        return [problem, _ask(ctx, state)]
    return [say(KEPT, words=text(typed.strip())), _ask(ctx, state)]


def _add_to_note(ctx: Ctx, typed: str) -> Prompt | None:
    """The note gains ``typed`` after what was kept before (never replacing it); why it cannot, or None."""
    before = str(ctx.values.get("note") or "")
    note = f"{before}\n{typed.strip()}" if before and typed.strip() else typed.strip()
    problem = text_problem(note)
    if problem is None:
        ctx.values["note"] = note
    return problem


def _save(ctx: Ctx) -> list[Prompt]:
    actor = ctx.bound()
    v = ctx.values
    # Keyed by the confirm question's version: a double tap or a redelivery saves once.
    key = f"talk:{ctx.conv.id}:{ctx.conv.version}"
    name = pick.child_param(ctx)
    try:
        record_id = talks.log_talk(
            ctx.uow, author_id=actor.person_id, child_id=v["child_id"],
            kind=talks.kind_for(ctx.uow, author_id=actor.person_id, child_id=v["child_id"]),
            mood=v["mood"], study=v["study"], daily_life=v["daily_life"], safety_concern=v["safety"],
            note=v.get("note"), follow_up=v["follow_up"], now=ctx.now, request_key=key,
        )
    except talks.NoConsent:  # withdrawn between picking and Save
        ctx.finish()
        return [_no_consent(ctx, int(v["child_id"]), name)]
    except talks.ChildNotInScope:
        # The child left the roster or the teacher's scope between picking and Save.
        ctx.finish()
        return [say(pick.not_found_message(ctx), name=name)]
    counts = _counts_as(ctx)
    audit.record(ctx.uow, actor_id=actor.person_id, action=AuditAction.TALK_SAVED, child_id=int(v["child_id"]),
                 channel=ctx.channel, now=ctx.now, talk=record_id)
    follow_up, safety = v["follow_up"], v["safety"]
    child = {"child_id": v["child_id"], "child_name": v.get("child_name"), "class_name": v.get("class_name"),
             "talk_note": v.get("note")}  # the note counts toward the offered report's harm question
    ctx.finish()
    log.info("conversation %s saved talk record %s", ctx.conv.id, record_id)
    saved = say(SAVED, name=name)
    prompts = [replace(saved, lines=(*saved.lines, counts))]
    if follow_up:
        prompts.append(say(N_("A follow-up task for you has been added.")))
    if safety:
        prompts.append(_offer_report(ctx, child))
    return prompts


def _offer_report(ctx: Ctx, child: dict[str, object]) -> Prompt:
    """After a card with a safety concern: who was told, and "report an incident now?" (issue 6, item 5)."""
    actor = ctx.bound()
    ctx.conv.data["v"] = dict(child)
    name = pick.child_param(ctx)
    leads = [lead for pid, lead in safety_concerns.safeguarding_leads(ctx.uow, actor.school_id)
             if pid != actor.person_id]
    if leads:
        return ctx.ask(FLOW, State.SAFETY_OFFER,
                       N_("You noted a safety concern about {name}: a follow-up task was added for you, and {leads} "
                          "(safeguarding) has been told. Report an incident now?"),
                       {"name": name, "leads": [text(lead) for lead in leads]}, SAFETY_OFFER)
    return ctx.ask(FLOW, State.SAFETY_OFFER,
                   N_("You noted a safety concern about {name}: a follow-up task was added for you. "
                      "Report an incident now?"), {"name": name}, SAFETY_OFFER)
