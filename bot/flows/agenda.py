"""One question at a time per chat, as the flow runner applies it (rules: :mod:`bot.domain.agenda`).

The runner asks this module three things for every update:

* :func:`begin` — what the current question is (the one most recently shown);
  a typed number or word answers that one only (:func:`offer_choices` for
  questions shown outside a flow).
* :func:`suspend` / :func:`resume_for_version` — a flow set aside while the
  person answers something else (an incident alert during a talk), and taken
  up again when its turn comes or one of its buttons is pressed.
* :func:`finish_turn` — the reply's questions go on the agenda (the last one
  shown becomes current; each message numbers its choices from 1) and, when
  the reply asks nothing, the next question waiting is asked again with its
  context named, urgent ones first.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from typing import Any

from bot.domain import agenda
from bot.flows import agenda_aside, checkin_hold, leave_out_reason, note_hold
from bot.flows import typed as typed_answers
from bot.flows.common import Ctx
from bot.messages import payloads
from bot.messages.prompt import N_, Choice, Prompt, text
from bot.services import agenda_checks, checkin_messages, queued_topic

STILL_WAITING = N_("Still waiting for your answer:")
BACK_TO = {
    "talk": N_("Back to your talk with {name}:"),
    "incident": N_("Back to your incident report about {name}:"),
    "checkin": N_("Back to the check-in about {name}:"),
    "incident_manage": N_("Back to closing the incident about {name}:"),
    "incident_readmit": N_("Back to letting someone back into the incident about {name}:"),
    "aid": N_("Back to your aid entry for {name}:"),
    "plan": N_("Back to the education plan for {name}:"),
}
BACK_TO_OTHER = N_("Back to what you were doing:")
BACK_TO_AFTER_SAVED = {("talk", "safety_offer"): N_("Back to the question after your saved talk with {name}:")}
"""The question after a saved talk, never named as the talk itself (it is saved: fix6ah)."""


def begin(ctx: Ctx) -> str | None:
    """Tidy the agenda at the start of an update; returns the current question's key (None: nothing waits)."""
    items = agenda.tidy(ctx.conv.agenda, ctx.now)
    has_flow = any(e["kind"] == "flow" for e in items)
    if ctx.conv.flow and not has_flow:
        items = [agenda.flow_entry(ctx.now), *items]  # a flow from before agendas existed: it is current
    elif not ctx.conv.flow and has_flow:
        items = agenda.remove(items, agenda.FLOW_KEY)
    ctx.conv.agenda = items
    top = agenda.current(items)
    return top["key"] if top else None


def current(ctx: Ctx) -> dict[str, Any] | None:
    """The current question's agenda entry, or None."""
    return agenda.current(ctx.conv.agenda)


def waiting(ctx: Ctx) -> list[dict[str, Any]]:
    """The questions shown outside a flow still waiting in this chat, the current one first, then in their turn."""
    items = ctx.conv.agenda
    return [e for e in [*items[:1], *agenda.next_up(items[1:])] if e["kind"] == "offer"]


def offer_choices(entry: dict[str, Any], *, with_typed: bool = False) -> list[Choice]:
    """The choices of a question shown outside a flow, in the order they are numbered (from 1).

    ``with_typed``: also those picked only by their words or button (``Choice.typed``), which have no number.
    """
    prompt = Prompt.from_dict(entry["prompt"])
    return [c for c in prompt.choices if with_typed or not c.typed]


def answers_current(ctx: Ctx, typed: str) -> bool:
    """Whether a bare word (not ``/…``) picks a choice of the current question (``help`` at a check-in: "Needs help").

    Such a word answers the question shown (DESIGN.md "Conversations") rather than run the command it also names.
    """
    if unicodedata.normalize("NFKC", typed).lstrip().startswith("/"):
        return False
    top = current(ctx)
    if top is not None and top["kind"] == "offer":
        choices = offer_choices(top, with_typed=True)
    else:
        prompt = ctx.current_prompt() if ctx.conv.flow else None
        choices = list(prompt.choices) if prompt is not None else []
    return bool(choices) and typed_answers.matching(ctx, choices, typed) is not None


def drop_answered(ctx: Ctx, payload: str) -> None:
    """The question shown outside a flow that offered ``payload`` was answered some other way: it leaves."""
    ctx.conv.agenda = [e for e in ctx.conv.agenda if not (e["kind"] == "offer" and payload in e.get("payloads", ()))]


def answered(ctx: Ctx, payload: str) -> None:
    """A question shown outside a flow was answered with ``payload``: it leaves the agenda.

    A family's message stays until the teacher's answer is sent (Reply starts
    the answer; cancelled, the message is asked again: issue 6 item 4).

    A flow running meanwhile is set aside first (:func:`suspend`): the answer
    may start a flow of its own (a check-in's follow-up), and the set-aside
    flow is asked again afterwards.
    """
    pressed = payloads.decode(payload)
    if not isinstance(pressed, payloads.FamilyReply):  # answered only once the answer is sent (bot.flows.relay)
        drop_answered(ctx, payload)
    if not isinstance(pressed, payloads.CheckinSkip):  # that one belongs to the running follow-up
        suspend(ctx)


def suspend(ctx: Ctx) -> None:
    """Set the running flow aside, where its question stood on the agenda (its buttons keep working)."""
    if not ctx.conv.flow:
        return
    ctx.conv.serial += 1
    saved = agenda.saved_entry(ctx.conv.flow, ctx.conv.state, ctx.conv.data, ctx.now, ctx.conv.serial)
    ctx.conv.agenda = [saved if e["kind"] == "flow" else e for e in ctx.conv.agenda]
    if not any(e["key"] == saved["key"] for e in ctx.conv.agenda):
        ctx.conv.agenda.append(saved)
    ctx.conv.flow, ctx.conv.state, ctx.conv.data = None, None, {}


def resume_for_version(ctx: Ctx, version: int) -> bool:
    """A flow button of ``version`` was pressed: make the flow it belongs to the running one.

    Returns:
        True when the running flow (or a set-aside one, now running again)
        asked its current question under ``version``: the button answers that
        question. False: the button is from an earlier question.
    """
    if ctx.conv.flow and version in _versions(ctx.conv.data, ctx.conv.version):
        return True
    for entry in ctx.conv.agenda:
        if entry["kind"] == "saved" and version in _versions(entry["data"], -1):
            _resume(ctx, entry)
            return True
    return False


def resume_top(ctx: Ctx) -> None:
    """A set-aside flow is the current question: make it the running flow again."""
    top = current(ctx)
    if top is not None and top["kind"] == "saved":
        _resume(ctx, top)


def resume(ctx: Ctx, entry: dict[str, Any]) -> None:
    """Make the set-aside flow ``entry`` the running one again (words kept for it: :mod:`bot.flows.misplaced`)."""
    _resume(ctx, entry)


def _versions(data: dict[str, Any], fallback: int) -> list[int]:
    return [int(v) for v in data.get("versions") or [fallback]]


def _resume(ctx: Ctx, entry: dict[str, Any]) -> None:
    """Make a set-aside flow the running one again, in place of its agenda entry."""
    suspend(ctx)
    restore(ctx, entry["flow"], entry["state"], dict(entry["data"]))
    ctx.conv.agenda = [agenda.flow_entry(ctx.now) if e["key"] == entry["key"] else e for e in ctx.conv.agenda]


def restore(ctx: Ctx, flow: str, state: str | None, data: dict[str, Any]) -> None:
    """Make a flow kept aside the running one, its question re-stamped with a new version.

    The buttons of the message that asked it first keep working too: the
    question keeps every version it was shown under (``versions``).
    """
    ctx.conv.flow, ctx.conv.state, ctx.conv.data = flow, state, data
    ctx.conv.version += 1
    ctx.conv.data["versions"] = [*_versions(data, -1), ctx.conv.version]
    raw = data.get("prompt")
    if raw:
        data["prompt"] = _restamp(Prompt.from_dict(raw), ctx.conv.version).to_dict()


def _restamp(prompt: Prompt, version: int) -> Prompt:
    """The flow's question with its buttons carrying ``version`` (asked again after a version bump)."""
    choices = []
    for c in prompt.choices:
        pressed = payloads.decode(c.payload)
        if isinstance(pressed, payloads.FlowChoice):
            c = replace(c, payload=payloads.flow_choice(version, pressed.value))
        choices.append(c)
    return replace(prompt, choices=tuple(choices))


def finish_turn(ctx: Ctx, prompts: list[Prompt], top_before: str | None) -> list[Prompt]:
    """The reply as it is sent: its questions on the agenda, numbered from 1, and the next question when due.

    The last question of the reply becomes current. An earlier question of the
    same reply is sent without its choices (it would be numbered side by side)
    and, when it waits for an answer, asked again in its turn. When the reply
    asks nothing and the question that was current is gone (answered, set
    aside, or its flow ended), the next waiting question is asked again, its
    context named (:func:`ask_next`).
    """
    if not ctx.conv.flow:
        ctx.conv.agenda = agenda.remove(ctx.conv.agenda, agenda.FLOW_KEY)
    if not checkin_messages.confirmation_asked(prompts, ctx.conv.agenda):  # "是说…很好吗？" answers one 好的 only
        prompts = [checkin_messages.week_question_again(p) for p in prompts]
        ctx.conv.agenda = checkin_messages.week_questions_back(ctx.conv.agenda)
    questions = [i for i, p in enumerate(prompts) if p.choices or _is_flow_question(ctx, p)]
    last = questions[-1] if questions else None
    out: list[Prompt] = []
    for i, prompt in enumerate(prompts):
        if i not in questions:
            out.append(prompt)
            continue
        entry = (agenda.flow_entry(ctx.now) if _is_flow_question(ctx, prompt)
                 else agenda.offer(prompt.to_dict(), [c.payload for c in prompt.choices], ctx.now))
        if i == last:
            ctx.conv.agenda = agenda.show(ctx.conv.agenda, entry)
            out.append(replace(prompt, first_number=1))
        else:
            if entry["required"] and entry["kind"] == "offer":
                ctx.conv.agenda = [*agenda.remove(ctx.conv.agenda, entry["key"]), entry]
            out.append(_queued_message(ctx, entry) or replace(prompt, choices=()))
    top = current(ctx)
    if last is None and out and top is not None and top["key"] == top_before and not top.get("required"):
        # An optional action (/me's "remove a linked account") is no longer the message shown last: a number
        # typed now is not for it (its button still works where there are buttons).
        ctx.conv.agenda = agenda.remove(ctx.conv.agenda, top["key"])
        top = current(ctx)
    if last is None and top is not None and (top["key"] != top_before or top["kind"] == "saved"):
        out.extend(ask_next(ctx))
    return out


QUEUED_MESSAGE = N_("Also waiting for your reply: {topic}. I will show it again, with its Reply, once the question "
                    "below is answered.")


def _queued_message(ctx: Ctx, entry: dict[str, Any]) -> Prompt | None:
    """A family's message queued behind the question shown, as one line: writer, time, first words.

    Shown in full above the message that has the Reply, it was taken for the one a ``1`` answers (a tester's
    /due with two messages of 张强 about 杨秀云, fix6h); the message on screen is the one a number answers.
    """
    if entry["kind"] != "offer" or not entry["required"] or not any(
            isinstance(payloads.decode(p), payloads.FamilyReply) for p in entry.get("payloads") or ()):
        return None
    topic = queued_topic.topic(ctx.uow, entry, None, {})
    return Prompt(QUEUED_MESSAGE, {"topic": topic}) if topic is not None else None


def _is_flow_question(ctx: Ctx, prompt: Prompt) -> bool:
    if not ctx.conv.flow:
        return False
    if prompt.choices:
        return all(payloads.is_flow_choice(c.payload) for c in prompt.choices)
    return prompt.to_dict() == ctx.conv.data.get("prompt")


def ask_next(ctx: Ctx) -> list[Prompt]:
    """Ask the next waiting question again (urgent first), its context named; questions closed meanwhile are dropped.

    Returns:
        The context line and the question, or nothing when no question waits.
    """
    while True:
        ctx.conv.agenda = agenda.next_up(ctx.conv.agenda)
        top = current(ctx)
        if top is None or top.get("held"):
            return []  # held back under emergency advice: asked on the next message (unheld)
        if top["kind"] == "offer":
            person = ctx.actor.person_id if ctx.actor else None
            if not agenda_checks.is_open(ctx.uow, person_id=person, choice_payloads=list(top.get("payloads") or ())):
                ctx.conv.agenda = agenda.remove(ctx.conv.agenda, top["key"])
                continue
            waits = checkin_hold.hold(ctx, top)  # no "1. 很好" about a child in an open emergency (fix6o)
            other = checkin_hold.sibling_first(ctx) if waits is not None else None  # 刘帅's, not held (fix6aa)
            if waits is not None:
                return [*waits, replace(Prompt.from_dict(other["prompt"]), first_number=1)] if other else waits
            ctx.conv.agenda[0] = agenda.touch(top, ctx.now)
            return [Prompt(STILL_WAITING), replace(Prompt.from_dict(top["prompt"]), first_number=1)]
        if top["kind"] == "flow" and note_hold.running(ctx):  # set aside, to be held just below
            suspend(ctx)
            top = current(ctx) or top
        if top["kind"] == "saved":
            waits = note_hold.hold(ctx, top)  # no "anything to tell the teacher?" while the child is missing
            if waits is not None:
                return waits
            _resume(ctx, top)
        ctx.conv.agenda[0] = agenda.touch(current(ctx) or top, ctx.now)
        question = ctx.current_prompt()
        if question is None:  # a flow without a question to show (cannot happen: flows always ask)
            ctx.conv.agenda = agenda.remove(ctx.conv.agenda, agenda.FLOW_KEY)
            continue
        return [back_to(ctx), replace(question, first_number=1)]


def beside_current(ctx: Ctx, prompts: list[Prompt]) -> list[Prompt]:
    """An informational reply (``/due``) while a question waits: shown, and that question asked again after it.

    The reply never takes the numbers of the question waiting for an answer (a
    talk half done, a check-in, an alert): the question is asked again last,
    its context named, so it stays current and numbers its choices from 1;
    :func:`finish_turn` shows the reply's own questions without choices and
    queues the ones that wait for an answer. With nothing waiting the reply is
    returned as it is (its choices numbered).
    """
    top = current(ctx)
    if top is None or not top.get("required"):
        return prompts
    if top["kind"] == "saved":
        _resume(ctx, top)
        top = current(ctx) or top
    if top["kind"] == "offer":
        person = ctx.actor.person_id if ctx.actor else None
        if not agenda_checks.is_open(ctx.uow, person_id=person, choice_payloads=list(top.get("payloads") or ())):
            # answered meanwhile (a backup answered the family's URGENT message): dropped, the next one asked
            ctx.conv.agenda = agenda.remove(ctx.conv.agenda, top["key"])
            return [*prompts, *ask_next(ctx)]
        waits = checkin_hold.hold(ctx, top)  # /help never re-shows 刘帅's week while his incident is open (fix6ax)
        if waits is not None:
            other = checkin_hold.sibling_first(ctx)  # a sibling's check-in, in no incident, is asked as in ask_next
            return [*prompts, *waits, *([replace(Prompt.from_dict(other["prompt"]), first_number=1)] if other else [])]
        # A talk half done under the question shown is named above it, never left unmentioned (fix6ac).
        return agenda_aside.above_question(ctx, _offer_again(prompts, Prompt.from_dict(top["prompt"])),
                                           STILL_WAITING)
    question = ctx.current_prompt() if ctx.conv.flow else None
    return [*prompts, back_to(ctx), question] if question is not None else prompts


def _offer_again(prompts: list[Prompt], offer: Prompt) -> list[Prompt]:
    """An informational reply with the question shown outside a flow (``offer``) last, listed once."""
    if any(p.to_dict() == offer.to_dict() for p in prompts):
        # the reply lists that very question (a family's message on /due): shown once, current
        return prompts
    wanted = [c.payload for c in offer.choices]
    same = [p for p in prompts if p.choices and [c.payload for c in p.choices] == wanted]
    if same:  # /due lists it with more (an urgent message's follow-ups): that listing, last, is the question
        return [*(p for p in prompts if p is not same[0]), same[0]]
    return [*prompts, Prompt(STILL_WAITING), offer]


def back_to(ctx: Ctx) -> Prompt:
    """"Back to your talk with 杨秀云:" — the context of a flow asked again."""
    values = ctx.conv.data.get("v") or {}
    if (reason := leave_out_reason.back_to_reason(ctx.conv.flow or "", ctx.conv.state or "", values)) is not None:
        return reason
    name = values.get("child_name") or values.get("child")
    message = BACK_TO_AFTER_SAVED.get((ctx.conv.flow or "", ctx.conv.state or "")) or BACK_TO.get(ctx.conv.flow or "")
    if message is None or not name:
        return Prompt(BACK_TO_OTHER)
    return Prompt(message, {"name": text(str(name))})
