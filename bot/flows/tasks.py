"""``/tasks`` (任务): one's open tasks, overdue first; close one with a one-line outcome, or hand it to a colleague.

Admins and leaders also see the school's other open tasks and may act on
them. A task is picked from the list (button, number or its words), then
Done (the outcome is asked as one line) or Hand over (a colleague's name is
asked; namesakes are asked apart). See docs/flows/tasks.md.
"""

from __future__ import annotations

import logging
from enum import StrEnum

from bot.domain.enums import ADMIN_ROLES
from bot.flows.common import Ctx, Option, say, text_problem
from bot.messages.prompt import N_, Prompt, dt, text
from bot.services import task_summary, tasks
from bot.services.tasks import Outcome, TaskView

log = logging.getLogger(__name__)
FLOW = "tasks"
MAX_PICK = 9  # tasks offered as answers at once; the rest are listed and come up once these are done


class State(StrEnum):
    """The flow's states."""

    PICK = "pick"
    ACTION = "action"
    OUTCOME = "outcome"
    COLLEAGUE = "colleague"
    WHICH = "which"


DONE = Option(N_("Done"), "done")
HAND = Option(N_("Hand to a colleague"), "hand")
BACK = Option(N_("Back to the list"), "back")
GONE = N_("That task is no longer open.")


def start(ctx: Ctx, arg: str = "") -> list[Prompt]:
    """``/tasks``: the list, and the question which task to deal with; ``/tasks NAME``: a colleague's (admins)."""
    actor = ctx.bound()
    ctx.finish()
    admin = bool(ADMIN_ROLES & actor.roles)
    if admin and arg.strip():
        return _colleague(ctx, arg.strip())
    own = tasks.open_tasks(ctx.uow, person_id=actor.person_id, now=ctx.now)
    school = (tasks.school_tasks(ctx.uow, school_id=actor.school_id, now=ctx.now, besides=actor.person_id)
              if admin else [])
    prompts: list[Prompt] = []
    if len(school) > MAX_PICK:  # issue 9: 244 lines were a wall; one line per colleague, and /tasks NAME
        groups = task_summary.by_assignee(school)
        prompts.append(Prompt(N_("The school's other open tasks ({count}, {overdue} overdue), per colleague:"),
                              {"count": len(school), "overdue": sum(v.overdue for v in school)},
                              lines=(*task_summary.assignee_lines(groups),
                                     (N_("Send /tasks and a name to see one colleague's tasks, e.g. /tasks {name}."),
                                      {"name": text(groups[0].name)}))))
        school = []
    elif school:
        prompts.append(Prompt(N_("The school's other open tasks ({count}, {overdue} overdue):"),
                              {"count": len(school), "overdue": sum(v.overdue for v in school)},
                              lines=tuple(tasks.task_line(v, with_assignee=True) for v in school)))
    pickable = [*own, *school][:MAX_PICK]
    if not pickable:
        return prompts or [say(N_("You have no open tasks."))]
    ctx.values["ids"] = [v.id for v in pickable]
    if own:
        header, params = N_("Your open tasks ({count}, {overdue} overdue):"), {
            "count": len(own), "overdue": sum(v.overdue for v in own)}
    else:
        header, params = N_("You have no open tasks of your own."), {}
    prompts.append(ctx.ask(FLOW, State.PICK, header, params, options=[_option(v, actor.person_id) for v in pickable],
                           lines=(*(tasks.task_line(v) for v in own),
                                  (N_("Choose a task to close it or hand it on."), {}))))
    return prompts


def _colleague(ctx: Ctx, name: str) -> list[Prompt]:
    """``/tasks NAME`` of an admin: that colleague's open tasks (namesakes together), to close or hand on."""
    actor = ctx.bound()
    found = [pid for pid, _name in tasks.colleagues(ctx.uow, actor, name)]
    if not found:
        return [say(N_("I couldn't find a colleague called {name} at your school."), name=text(name))]
    theirs = [v for pid in found for v in tasks.open_tasks(ctx.uow, person_id=pid, now=ctx.now)]
    if not theirs:
        return [say(N_("{name} has no open tasks."), name=text(name))]
    pickable = theirs[:MAX_PICK]
    ctx.values["ids"] = [v.id for v in pickable]
    return [ctx.ask(FLOW, State.PICK, N_("{name}'s open tasks ({count}, {overdue} overdue):"),
                    {"name": text(name), "count": len(theirs), "overdue": sum(v.overdue for v in theirs)},
                    options=[_option(v, actor.person_id) for v in pickable],
                    lines=(*(tasks.task_line(v) for v in theirs),
                           (N_("Choose a task to close it or hand it on."), {})))]


def _option(v: TaskView, person_id: int) -> Option:
    """A task as an answer: told apart by whom to phone, whose it is, when it is due, its talk's time, a number."""
    params = {"child": text(v.child_name or "—"), "what": tasks.what_param(v),
              "due_by": dt(v.due_at or v.created_at), "about": text(v.about_name or ""),
              "assignee": text(v.assignee_name)}
    theirs = v.assignee_id != person_id
    label = _OPTION_LABELS[(bool(v.about_name), theirs)]
    return Option(label, f"t{v.id}", params)


_OPTION_LABELS = {
    (False, False): N_("{child}: {what}, by {due_by}"),
    (True, False): N_("{child}: {what} — {about}, by {due_by}"),
    (False, True): N_("{assignee} — {child}: {what}, by {due_by}"),
    (True, True): N_("{assignee} — {child}: {what} — {about}, by {due_by}"),
}


def _ask_action(ctx: Ctx, v: TaskView) -> Prompt:
    ctx.values["task_id"] = v.id
    line = tasks.task_line(v, with_assignee=v.assignee_id != ctx.bound().person_id)
    return ctx.ask(FLOW, State.ACTION, N_("What about this task?"), options=(DONE, HAND, BACK), lines=(line,))


def on_choice(ctx: Ctx, value: str) -> list[Prompt]:
    """A task picked, Done / Hand over / Back, or a namesake colleague."""
    actor = ctx.bound()
    state = State(ctx.conv.state or State.PICK)
    if state is State.PICK:
        v = tasks.view(ctx.uow, actor, int(value[1:]), ctx.now) if value[1:].isdecimal() else None
        if v is None:
            return [say(GONE), *start(ctx)]
        return [_ask_action(ctx, v)]
    if state is State.WHICH:
        return _hand(ctx, int(value))
    if value == "back":
        return start(ctx)
    if value == "done":
        return [ctx.ask(FLOW, State.OUTCOME, N_("In one line: what came of it?"), prose=True)]
    return [ctx.ask(FLOW, State.COLLEAGUE, N_("To whom? Type the colleague's name."), free_text=True)]


def on_text(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """The outcome line, or the colleague's name."""
    actor = ctx.bound()
    state = State(ctx.conv.state or State.PICK)
    task_id = int(ctx.values.get("task_id", 0))
    if state is State.OUTCOME:
        problem = text_problem(typed)
        if problem is not None or len(typed.strip()) > tasks.MAX_OUTCOME:
            again = ctx.current_prompt()
            return [problem or say(N_("Please keep it to one line (under {limit} characters)."),
                                   limit=tasks.MAX_OUTCOME), *([again] if again else [])]
        result = tasks.complete(ctx.uow, actor, task_id=task_id, outcome=typed, now=ctx.now, channel=ctx.channel)
        ctx.finish()
        if result is Outcome.DONE:
            return [say(N_("Done: the task is closed with your outcome."))]
        return [say(GONE)]
    if state is State.COLLEAGUE:
        found = tasks.colleagues(ctx.uow, actor, typed)
        if not found:
            return [say(N_("I couldn't find a colleague called {name} at your school."), name=text(typed.strip())),
                    *([p] if (p := ctx.current_prompt()) else [])]
        if len(found) > 1:
            return [ctx.ask(FLOW, State.WHICH, N_("There are {count} colleagues called {name}. Which one?"),
                            {"count": len(found), "name": text(typed.strip())},
                            options=[Option(N_("{name} (#{id})"), str(pid), {"name": text(name), "id": pid})
                                     for pid, name in found])]
        return _hand(ctx, found[0][0])
    return None


def _hand(ctx: Ctx, to: int) -> list[Prompt]:
    actor = ctx.bound()
    task_id = int(ctx.values.get("task_id", 0))
    result = tasks.hand_over(ctx.uow, actor, task_id=task_id, to_person_id=to, now=ctx.now)
    ctx.finish()
    if result is Outcome.HANDED:
        return [say(N_("Handed over; they have been told."))]
    if result is Outcome.BAD_COLLEAGUE:
        return [say(N_("That person cannot take the task (not a colleague at your school, or already theirs)."))]
    return [say(GONE)]


COMMANDS = {"tasks": start}
"""Command name (``bot.flows.commands.COMMANDS`` value) → handler."""
