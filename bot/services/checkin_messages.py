"""What the weekly check-in (每周联系) says: the question, its reminder and the teachers' tasks.

Every builder returns a :class:`~bot.messages.prompt.Prompt` with its
:class:`~bot.messages.prompt.PromptKind`; nothing here renders text. Names and
notes are user-written (``text()``), phone numbers ``phone()``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from bot.domain import agenda
from bot.messages import payloads
from bot.messages.prompt import N_, Choice, Prompt, PromptKind, day, msg, text
from bot.messages.prompt import phone as phone_param

ANSWER_LABELS: dict[str, str] = {
    "good": N_("All good"),
    "so_so": N_("So-so"),
    "needs_help": N_("Needs help"),
}
"""``CheckinAnswer`` value → the label of its one-tap button, in button order."""

HELP_KIND_LABELS: dict[str, str] = {
    "health": N_("Health"),
    "study": N_("Study"),
    "money": N_("Money"),
    "safety": N_("Safety"),
    "other": N_("Other"),
}
"""What kind of help a guardian who answered "needs help" can pick (the follow-up question)."""

CONFIRM = N_("Do you mean {child} is all good this week?")
"""The confirmation an acknowledgement (``好的``) at the week question gets (:mod:`bot.flows.checkin_confirm`)."""

NO_TEACHER_LINE = N_("{child} has no helper teacher or class teacher on record, so this comes to you.")


def question_prompt(checkin_id: int, child_name: str) -> Prompt:
    """The weekly question with its three one-tap answers (payloads ``ci:<id>:g|s|h``)."""
    return Prompt(
        N_("How is {child} this week?"),
        {"child": text(child_name)},
        choices=_answers(checkin_id),
        kind=PromptKind.CHECKIN,
    )


def question_payloads(questions: Sequence[tuple[int, str]]) -> list[dict[str, Any]]:
    """``question_prompt(id, name).to_dict()`` of many check-ins (``(id, child name)``) at once.

    A city's week is 260,000 questions: what they share (message id, labels,
    kind) is built once, and per question only the child's name and the
    answer payloads, about a fifth of the work of a ``Prompt`` each.
    """
    shared = question_prompt(1, "").to_dict()
    answers = [(answer, choice["label"]) for answer, choice in zip(ANSWER_LABELS, shared["choices"], strict=True)]
    return [
        {**shared, "params": {"child": text(name)}, "lines": [],
         "choices": [{"label": label, "payload": payloads.checkin_answer(checkin_id, answer), "params": {}}
                     for answer, label in answers]}
        for checkin_id, name in questions
    ]


def reminder_prompt(checkin_id: int, child_name: str) -> Prompt:
    """The one reminder of an unanswered check-in, with the same answers."""
    return Prompt(
        N_("A gentle reminder: how is {child} this week? One tap is enough."),
        {"child": text(child_name)},
        choices=_answers(checkin_id),
        kind=PromptKind.CHECKIN_REMINDER,
    )


def _answers(checkin_id: int) -> tuple[Choice, ...]:
    return tuple(Choice(label, payloads.checkin_answer(checkin_id, answer)) for answer, label in ANSWER_LABELS.items())


def _contact(guardian: str, child: str, phone: str | None) -> dict[str, Any]:
    return {"guardian": text(guardian), "child": text(child), "phone": phone_param(phone) if phone else text("—")}


def unanswered_prompt(*, guardian: str, child: str, phone: str | None) -> Prompt:
    """To the helper teacher: the guardian answered neither the check-in nor its reminder; phone them."""
    return Prompt(
        N_("{guardian}, the guardian of {child}, has not answered this week's check-in. Please phone them: {phone}."),
        _contact(guardian, child, phone),
        kind=PromptKind.TASK,
    )


def needs_help_prompt(*, guardian: str, child: str, phone: str | None) -> Prompt:
    """To the helper teacher: the guardian answered "needs help"."""
    return Prompt(
        N_("{guardian}, the guardian of {child}, answered \"needs help\" in the weekly check-in. "
           "Please contact them soon: {phone}."),
        _contact(guardian, child, phone),
        kind=PromptKind.TASK,
    )


def changed_away_prompt(*, guardian: str, child: str, answer: str) -> Prompt:
    """To the helper teacher: a guardian who answered "needs help" changed the answer (the task stays open)."""
    return Prompt(N_("{guardian} (guardian of {child}) changed this week's answer from \"needs help\" to "
                     "\"{answer}\". The help task stays open: please decide whether a call is still needed."),
                  {"guardian": text(guardian), "child": text(child), "answer": msg(ANSWER_LABELS[answer])},
                  kind=PromptKind.TASK)


def note_prompt(*, guardian: str, child: str, note: str, help_kind: str | None, own_words: bool = False) -> Prompt:
    """To the helper teacher: what the guardian added after answering (the kind of help, a note, or both).

    Args:
        guardian: the guardian's name.
        child: the child's name.
        note: what they wrote (may be empty when a kind of help is given).
        help_kind: a key of :data:`HELP_KIND_LABELS`, shown as its label in the teacher's language.
        own_words: ``note`` was written instead of picking a kind: quoted as written, no kind named (a kind
            read out of the words is a guess, never to be shown as the guardian's choice).
    """
    people = {"guardian": text(guardian), "child": text(child)}
    if own_words and note:
        return Prompt(N_("{guardian} (guardian of {child}) needs help and wrote, in their own words: “{note}”"),
                      {**people, "note": text(note)}, kind=PromptKind.TASK)
    if help_kind is None:
        return Prompt(N_("{guardian} (guardian of {child}) adds: {note}"), {**people, "note": text(note)},
                      kind=PromptKind.TASK)
    if note:
        return Prompt(N_("{guardian} (guardian of {child}) needs help with: {kind}. They add: {note}"),
                      {**people, "note": text(note), "kind": msg(HELP_KIND_LABELS[help_kind])}, kind=PromptKind.TASK)
    return Prompt(N_("{guardian} (guardian of {child}) needs help with: {kind}."),
                  {**people, "kind": msg(HELP_KIND_LABELS[help_kind])}, kind=PromptKind.TASK)


def with_stand_in_line(prompt: Prompt, child: str) -> Prompt:
    """``prompt`` with a last line telling a school admin why it comes to them (the child has no teacher)."""
    return Prompt(prompt.message_id, prompt.params, prompt.choices,
                  (*prompt.lines, (NO_TEACHER_LINE, {"child": text(child)})), kind=prompt.kind)


def ended_prompt(child_name: str) -> Prompt:
    """The answer to a check-in tapped by someone no longer listed as the child's guardian (nothing is recorded)."""
    return Prompt(N_("You are no longer listed as the entrusted guardian of {child}, so this check-in is closed. "
                     "If this is a mistake, please contact the school."), {"child": text(child_name)})


ANSWERED_LATE_OUTCOME = N_("answered late: {answer}")


def answered_late_prompt(*, guardian: str, child: str, answer: str) -> Prompt:
    """To the assignee of the call task: the guardian answered after all, so the call is closed."""
    return Prompt(N_("{guardian} (guardian of {child}) answered the check-in late: {answer}. "
                     "Your call task is closed as done; no call is needed."),
                  {"guardian": text(guardian), "child": text(child), "answer": msg(ANSWER_LABELS[answer])},
                  kind=PromptKind.TASK)


def missed_prompt(child_name: str, sent_on: date) -> Prompt:
    """An answer to a check-in a newer one replaced: it names its week, and nothing is recorded."""
    return Prompt(N_("The check-in about {child} of the week of {date} has closed; please answer the newer one."),
                  {"child": text(child_name), "date": day(sent_on)})


def week_question_again(prompt: Prompt) -> Prompt:
    """``prompt``, or the week question itself when ``prompt`` is the confirmation "是说杨秀云这周很好吗？".

    The confirmation answers the ``好的`` typed just before it, and only that: asked again later (after an
    emergency's hold, another question, in a close notice) its "1. 是，很好" took a ``好的`` meant for something
    else as "very good" (fix6t, a breaker's trial). So whatever brings the check-in back asks the week question.
    """
    if prompt.message_id != CONFIRM:
        return prompt
    pressed = next((p for c in prompt.choices if isinstance(p := payloads.decode(c.payload), payloads.CheckinPress)),
                   None)
    child = prompt.params.get("child")
    if pressed is None or not isinstance(child, dict):
        return prompt
    return question_prompt(pressed.checkin_id, str(child.get("v", "")))


def week_questions_back(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Agenda entries (``bot.domain.agenda``) with a waiting confirmation turned back into the week question."""
    return [{**e, "prompt": week_question_again(Prompt.from_dict(e["prompt"])).to_dict()}
            if e.get("prompt") and e["prompt"].get("message_id") == CONFIRM else e for e in items]


def confirmation_asked(prompts: Sequence[Prompt], items: list[dict[str, Any]]) -> bool:
    """Whether the reply ``prompts`` asks "是说杨秀云这周很好吗？" afresh, for the ``好的`` just typed.

    The confirmation is only asked at the week question (:mod:`bot.flows.checkin_confirm`), so a fresh one's
    check-in still waits in the agenda ``items`` as the week question; one the agenda already holds as the
    confirmation is being asked again (after a hold, beside /due) and comes back as the week question.
    """
    waiting = {e["key"] for e in items if (e.get("prompt") or {}).get("message_id") == CONFIRM}
    return any(p.message_id == CONFIRM and agenda.offer_key([c.payload for c in p.choices]) not in waiting
               for p in prompts)
