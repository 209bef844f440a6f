"""``/tasks`` (任务): one's open tasks, overdue first; close one with a one-line outcome, or hand it to a colleague.

Admins and leaders also see the school's other open tasks and may act on
them. A task is picked from the list (button, number or its words), then
Done (the outcome is asked as one line) or Hand over (a colleague's name is
asked; namesakes are asked apart). See docs/flows/tasks.md.
"""

from __future__ import annotations

import logging
from enum import StrEnum

from bot.domain.enums import ADMIN_ROLES, OFFICIAL_ROLES, STAFF_ROLES
from bot.flows.common import Ctx, Option, say, text_problem
from bot.messages.prompt import N_, Prompt, dt, text
from bot.services import task_summary, tasks
from bot.services.tasks import Outcome, TaskView

log = logging.getLogger(__name__)
FLOW = "tasks"
MAX_PICK = 9  # answers in one message: up to 9 tasks, or 8 and "More" (issue 9: dozens of tasks, none hidden)
MORE = N_("More tasks ({count} left)")


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


def start(ctx: Ctx, arg: str = "", first: int = 0) -> list[Prompt]:
    """``/tasks``: the list, and which task to deal with; ``/tasks NAME``: a colleague's (admins) or a child's.

    Every message numbers its own answers from 1: up to nine tasks, or eight
    and "More" when more are left (the next page, from ``first``).
    """
    actor = ctx.bound()
    ctx.finish()
    admin = bool(ADMIN_ROLES & actor.roles)
    name = arg.strip()
    if admin and name and tasks.colleagues(ctx.uow, actor, name):
        return _colleague(ctx, name, first)
    own = tasks.open_tasks(ctx.uow, person_id=actor.person_id, now=ctx.now)
    school = (tasks.school_tasks(ctx.uow, school_id=actor.school_id, now=ctx.now, besides=actor.person_id)
              if admin else [])
    if name and (about := [v for v in [*own, *school] if v.child_name and name in v.child_name]):
        return [_page(ctx, N_("Open tasks about {name} ({count}, {overdue} overdue):"),
                      {"name": text(name), "count": len(about), "overdue": sum(v.overdue for v in about)},
                      about, first, name)]
    if name and task_summary.child_in_scope(ctx.uow, actor, name):  # issue 9: was "no colleague by that name"
        return [say(N_("{name} has no open tasks."), name=text(name))]
    if admin and name:  # a teacher naming anyone else still sees her own list (below)
        return [_nobody(ctx, name)]
    prompts: list[Prompt] = []
    listed: set[int] = set()  # listed in the school's message before the question (its first page only)
    if not first and len(school) > MAX_PICK:  # issue 9: 244 lines were a wall; one line per colleague, and /tasks NAME
        groups = task_summary.by_assignee(school)
        prompts.append(Prompt(N_("The school's other open tasks ({count}, {overdue} overdue), per colleague:"),
                              {"count": len(school), "overdue": sum(v.overdue for v in school)},
                              lines=(*task_summary.assignee_lines(groups),
                                     (N_("Send /tasks and a name to see one colleague's tasks, e.g. /tasks {name}."),
                                      {"name": text(groups[0].name)}))))
    elif not first and school:
        prompts.append(Prompt(N_("The school's other open tasks ({count}, {overdue} overdue):"),
                              {"count": len(school), "overdue": sum(v.overdue for v in school)},
                              lines=tuple(tasks.task_line(v, with_assignee=True) for v in school)))
        listed = {v.id for v in school}
    pickable = [*own, *school] if len(school) <= MAX_PICK else own
    if not pickable:
        if not prompts and OFFICIAL_ROLES & actor.roles and not STAFF_ROLES & actor.roles:  # as /due says (issue 9)
            return [say(N_("You have no tasks: schools' tasks are done by their staff. See how the schools are doing "
                           "with /report (统计)."))]
        return prompts or [say(N_("You have no open tasks."))]
    if own:
        header, params = N_("Your open tasks ({count}, {overdue} overdue):"), {
            "count": len(own), "overdue": sum(v.overdue for v in own)}
    else:
        header, params = N_("You have no open tasks of your own."), {}
    return [*prompts, _page(ctx, header, params, pickable, first, "", listed)]


def _nobody(ctx: Ctx, name: str) -> Prompt:
    """An admin's ``/tasks NAME`` naming neither a child she may see nor a colleague: close names in her scope."""
    close = task_summary.close_names(ctx.uow, ctx.bound(), name, colleagues=True)
    nobody = N_("I couldn't find a child or a colleague called {name} at your school.")
    names = {"names": text(" / ".join(close))}
    lines = ((N_("Did you mean: {names}? Send /tasks and the name."), names),) if close else ()
    return Prompt(nobody, {"name": text(name)}, lines=lines)


def _colleague(ctx: Ctx, name: str, first: int = 0) -> list[Prompt]:
    """``/tasks NAME`` of an admin: that colleague's open tasks (namesakes together), to close or hand on."""
    actor = ctx.bound()
    found = [pid for pid, _name in tasks.colleagues(ctx.uow, actor, name)]
    theirs = [v for pid in found  # never an incident's the reader is kept away from (issue 9)
              for v in tasks.open_tasks(ctx.uow, person_id=pid, now=ctx.now, reader=actor.person_id)]
    if not theirs:
        return [say(N_("{name} has no open tasks."), name=text(name))]
    return [_page(ctx, N_("{name}'s open tasks ({count}, {overdue} overdue):"),
                  {"name": text(name), "count": len(theirs), "overdue": sum(v.overdue for v in theirs)},
                  theirs, first, name, whose=False)]


def _page(ctx: Ctx, header: str, params: dict, views: list[TaskView], first: int, arg: str,
          listed: set[int] | frozenset[int] = frozenset(), *, whose: bool = True) -> Prompt:
    """One page of ``views`` from ``first``: its lines and answers, and "More" (the last answer) when more are left.

    The lines list this page's tasks only (those in ``listed`` were listed just
    before); a page after the first, or one with more after it, says which of
    how many it shows and how to reach the others. ``whose``: a line names a
    colleague's task's assignee (not under a header naming her).
    """
    me = ctx.bound().person_id
    first = first if 0 <= first < len(views) else 0
    rest = views[first:]
    page = rest if len(rest) <= MAX_PICK else rest[:MAX_PICK - 1]
    after = first + len(page)
    options = [_option(v, me) for v in page]
    lines = [tasks.task_line(v, with_assignee=whose and v.assignee_id != me) for v in page if v.id not in listed]
    if first or after < len(views):
        lines.append((N_("Tasks {start}–{end} of {total} (overdue first)."),
                      {"start": first + 1, "end": after, "total": len(views)}))
    if after < len(views):
        options.append(Option(MORE, "more", {"count": len(views) - after}))
        child = next((v.child_name for v in views[after:] if v.child_name), None)
        if child and not arg:
            lines.append((N_("Or send /tasks and a child's name for that child's tasks, e.g. /tasks {child}."),
                          {"child": text(child)}))
    ctx.values.update(arg=arg, next=after if after < len(views) else 0)
    lines.append((N_("Choose a task to close it or hand it on."), {}))
    return ctx.ask(FLOW, State.PICK, header, params, options=options, lines=tuple(lines))


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
    if state is State.PICK and value == "more":
        arg, first = str(ctx.values.get("arg") or ""), int(ctx.values.get("next") or 0)
        return start(ctx, arg, first)
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
    if result is Outcome.NOT_PAIRED:
        return [say(N_("Sorry, that person is a caring-parent volunteer who is not paired with this child, so the "
                       "task (and the family's phone numbers) cannot go to them. Please hand it to a teacher, a "
                       "leader or an admin of the school."))]
    return [say(GONE)]


COMMANDS = {"tasks": start}
"""Command name (``bot.flows.commands.COMMANDS`` value) → handler."""
