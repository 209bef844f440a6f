"""A task as the lists show it: :class:`TaskView`, what it asks for, its line (from :mod:`bot.services.tasks`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.enums import TaskKind
from bot.messages.labels import TASK_KIND_LABELS
from bot.messages.prompt import N_, dt, msg, phone, text


@dataclass(frozen=True)
class TaskView:
    """A task as a list shows it.

    Attributes:
        id, kind: the task.
        child_name, class_name: its child, when it has one.
        about_name, about_phone: the person it is about (the guardian to phone), when any.
        assignee_id, assignee_name: who does it.
        created_at, due_at: UTC. A talk's tasks are created as the talk is saved, so ``created_at``
            is the talk's time for :data:`TALK_KINDS`.
        overdue: open and past its due time.
        number: 1, 2 … among open tasks of the same assignee that would otherwise read alike
            (:func:`_told_apart`); None when the task reads like no other.
        weeks: for a call about unanswered check-ins, the weekly check-ins unanswered since it was
            created (one task stands for them all, issue 9); 0 for other kinds.
    """

    id: int
    kind: str
    child_name: str | None
    class_name: str | None
    about_name: str | None
    about_phone: str | None
    assignee_id: int
    assignee_name: str
    created_at: datetime
    due_at: datetime | None
    overdue: bool
    number: int | None = None
    weeks: int = 0


TALK_KINDS = frozenset({TaskKind.TALK_FOLLOW_UP.value, TaskKind.SAFETY_CONCERN.value})
"""Tasks a talk card creates: their label names the talk's time (two talks of one day are two tasks)."""

_TALK_LABELS = {
    TaskKind.TALK_FOLLOW_UP.value: N_("follow up the talk of {when}"),
    TaskKind.SAFETY_CONCERN.value: N_("safety concern from the talk of {when}"),
}


def what_param(v: TaskView) -> dict:
    """What the task asks for, as a prompt parameter: a talk's tasks name the talk's time, alike ones a number."""
    what = (msg(_TALK_LABELS[v.kind], when=dt(v.created_at)) if v.kind in TALK_KINDS
            else msg(TASK_KIND_LABELS.get(v.kind, N_("task"))))
    if v.weeks > 1:
        what = msg(N_("{what}, {weeks} weeks unanswered"), what=what, weeks=v.weeks)
    return msg(N_("{what} (no. {number})"), what=what, number=v.number) if v.number else what


def task_line(v: TaskView, *, with_assignee: bool = False) -> tuple[str, dict]:
    """One ``Prompt.lines`` entry for a task: what, the child, whom to phone, due by (overdue marked)."""
    params: dict = {"what": what_param(v),
                    "child": text(v.child_name or "—"), "due_by": dt(v.due_at or v.created_at)}
    who = ""
    if v.about_name:
        params["about"] = text(v.about_name)
        params["phone"] = phone(v.about_phone) if v.about_phone else text("—")
        who = "_about"
    if with_assignee:
        params["assignee"] = text(v.assignee_name)
    message = _LINES[(who, v.overdue, with_assignee)]
    return message, params


_LINES = {
    ("", False, False): N_("• {child}: {what}, by {due_by}"),
    ("", True, False): N_("• OVERDUE {child}: {what}, was due {due_by}"),
    ("_about", False, False): N_("• {child}: {what} — {about} {phone}, by {due_by}"),
    ("_about", True, False): N_("• OVERDUE {child}: {what} — {about} {phone}, was due {due_by}"),
    ("", False, True): N_("• {assignee} — {child}: {what}, by {due_by}"),
    ("", True, True): N_("• {assignee} — OVERDUE {child}: {what}, was due {due_by}"),
    ("_about", False, True): N_("• {assignee} — {child}: {what} — {about} {phone}, by {due_by}"),
    ("_about", True, True): N_("• {assignee} — OVERDUE {child}: {what} — {about} {phone}, was due {due_by}"),
}
