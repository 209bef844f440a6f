"""``/plan 张三`` (方案): a child's individual education plan — open one, add progress notes, record reviews, close.

The child's class teacher and the school's admins open, review and close a
plan; its responsible people see it and add notes. Opening asks for the
goals, the measures, who is responsible (or Skip: the class teacher and the
helper teacher; school staff or the child's paired volunteer only) and the first
review date. See docs/flows/plan.md.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from bot.domain import child_mentions
from bot.domain.periods import local_date
from bot.domain.privacy import AuditAction
from bot.domain.roster_cells import CellError, parse_date
from bot.flows import pick
from bot.flows import typed as typed_answers
from bot.flows import words as everyday
from bot.flows.common import CANCELLED, Ctx, Option, audit_child, say, text_problem
from bot.messages import payloads
from bot.messages.prompt import N_, Prompt, day, dt, text
from bot.services import access, child_names, plans, tasks
from bot.services.access import Purpose
from bot.services.plans import PlanView

FLOW = "plan"
_MONTH_DAY = re.compile(r"(\d{1,2})\s*[月/.-]\s*(\d{1,2})\s*[日号]?")
_SPLIT = re.compile(r"[\n;；]+")


class State(StrEnum):
    """The flow's states."""

    WHICH = "which"
    OFFER = "offer"  # no plan yet: open one?
    GOALS = "goals"
    MEASURES = "measures"
    PEOPLE = "people"
    REVIEW_DATE = "review_date"
    PLAN = "plan"  # an open plan with its answers
    NOTE = "note"
    REVIEW_NOTE = "review_note"


OPEN = (Option(N_("Open a plan"), "open"), Option(N_("Cancel"), "cancel"))
SKIP = Option(N_("Skip"), "skip")
IN_30_DAYS = Option(N_("In 30 days"), "30")
NOTE = Option(N_("Add a progress note"), "note")
REVIEW = Option(N_("Record the review"), "review")
CLOSE = Option(N_("Close the plan"), "close")
NOT_FOUND = N_("I couldn't find a child called {name} whose plan you may see.")
NOT_RESPONSIBLE = N_("Sorry, {name} is a volunteer who is not paired with {child}, so cannot be responsible for "
                     "this plan. Responsible people can be the school's staff (teachers, leaders, admins) or "
                     "{child}'s paired caring parent.")


def typed_date(typed: str, today: date) -> date | None:
    """``2027-03-15`` / ``2027年3月15日`` / ``3月15日`` (the next one) → a date after today, or None."""
    cleaned = unicodedata.normalize("NFKC", typed).strip()
    match = _MONTH_DAY.fullmatch(cleaned)
    try:
        if match is not None:
            found = date(today.year, int(match[1]), int(match[2]))
            found = found if found > today else found.replace(year=today.year + 1)
        else:
            found = parse_date(cleaned)  # type: ignore[assignment]
    except (ValueError, CellError):
        return None
    return found if found is not None and today < found <= today + timedelta(days=366) else None


def start(ctx: Ctx, name: str) -> list[Prompt]:
    """``/plan NAME``."""
    if not name:
        return [say(N_("Please add the child's name, e.g. /plan 张三"))]
    found = pick.by_name(ctx, name, Purpose.VIEW)
    if len(found) > 1:
        return [pick.ask_which(ctx, FLOW, State.WHICH, name, found)]
    if not found:
        return _closest(ctx, name) or [say(NOT_FOUND, name=text(pick.shown_name(name)))]
    return _show(ctx, found[0].id, found[0].name)


def _closest(ctx: Ctx, name: str) -> list[Prompt]:
    """A misspelt name (杨秀芸): the closest names she may see, numbered, as /talk and /card offer them; [] if none.

    Only children in her scope are compared, so the answer never reveals a child outside it.
    """
    close = child_names.closest(ctx.uow, ctx.bound(), purpose=Purpose.VIEW, name=name)
    if not close:
        return []
    return [ctx.ask(FLOW, State.WHICH, pick.did_you_mean(ctx), {"name": text(pick.shown_name(name))},
                    options=pick.options_for(ctx, close), free_text=True)]


def _named_at_which(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """A name typed at "which child?" (``杨秀云``, a nickname ``秀云``, a misspelling ``杨秀芸``); None: a number.

    The children offered are matched first (by their full name or the forms families use), then the name is a new
    search among the children whose plan she may see, as "otherwise send the name again" says. A name found
    nowhere is told so and the question asked again: only her own scope is searched, so nothing is revealed.
    The question once took only a number or a button (a new-user trial, fix6ao).
    """
    if typed_answers.number(typed) is not None:
        return None
    shown = ctx.current_prompt()
    ids = _offered_ids(shown)
    offered = [(c.id, c.name) for c in access.find_children(ctx.uow, ctx.bound(), purpose=Purpose.VIEW)
               if c.id in ids]
    named = child_mentions.named(typed, offered)
    if len(named) == 1:
        return _show(ctx, named[0], dict(offered)[named[0]])
    found = pick.by_name(ctx, typed, Purpose.VIEW)
    if len(found) == 1:
        return _show(ctx, found[0].id, found[0].name)
    if len(found) > 1:
        return [pick.ask_which(ctx, FLOW, State.WHICH, typed, found)]
    return _closest(ctx, typed) or [say(NOT_FOUND, name=text(pick.shown_name(typed))),
                                    *([shown] if shown is not None else [])]


def _offered_ids(shown: Prompt | None) -> set[int]:
    """The children the question shown offers (its ``c<id>`` choices)."""
    ids: set[int] = set()
    for choice in shown.choices if shown is not None else ():
        pressed = payloads.decode(choice.payload)
        child_id = payloads.decode_child_value(pressed.value) if isinstance(pressed, payloads.FlowChoice) else None
        if child_id is not None:
            ids.add(child_id)
    return ids


def _show(ctx: Ctx, child_id: int, child_name: str) -> list[Prompt]:
    actor = ctx.bound()
    ctx.values.update(child_id=child_id, child_name=child_name)
    visible = plans.plans_of(ctx.uow, actor, child_id)
    current = next((p for p in visible if p.status == "open"), None)
    manager = plans.may_open(ctx.uow, actor, child_id)
    if current is None:
        if not manager:
            ctx.finish()
            return [say(NOT_FOUND, name=text(child_name))]
        reason = N_("{child} was flagged by a talk card. ") if plans.flagged_by_talk(ctx.uow, child_id) else ""
        return [ctx.ask(FLOW, State.OFFER, N_("{child} has no open individual education plan. Open one?"),
                        {"child": text(child_name)}, options=OPEN,
                        lines=((reason, {"child": text(child_name)}),) if reason else ())]
    ctx.values["plan_id"] = current.id
    audit_child(ctx, AuditAction.VIEW_PLAN, child_id, plan=current.id)
    options = [NOTE, REVIEW, CLOSE] if manager else [NOTE]
    ctx.conv.data["steps"] = 0  # the plan shown is a resting point: nothing unsaved, a command replaces it unasked
    return [ctx.ask(FLOW, State.PLAN, N_("Individual education plan of {child}:"), {"child": text(child_name)},
                    options=options, lines=plan_lines(current))]


def plan_lines(p: PlanView) -> tuple[tuple[str, dict[str, Any]], ...]:
    """The plan's goals, measures, people, next review and latest notes as prompt lines."""
    lines: list[tuple[str, dict[str, Any]]] = [(N_("Goals:"), {})]
    lines += [(N_("  {n}. {item}"), {"n": i, "item": text(g)}) for i, g in enumerate(p.goals, 1)]
    lines.append((N_("Measures:"), {}))
    lines += [(N_("  {n}. {item}"), {"n": i, "item": text(m)}) for i, m in enumerate(p.measures, 1)]
    lines.append((N_("Responsible: {names}"), {"names": [text(n) for n in p.people] or "—"}))
    if p.next_review is not None:
        lines.append((N_("Next review: {date}"), {"date": day(p.next_review)}))
    for at, author, note in p.notes:
        lines.append((N_("• {when} {author}: {note}"), {"when": dt(at), "author": text(author), "note": text(note)}))
    return tuple(lines)


def on_choice(ctx: Ctx, value: str) -> list[Prompt]:
    """Namesake, open/cancel, skip, in 30 days, note/review/close."""
    state = State(ctx.conv.state or State.PLAN)
    child = text(ctx.values.get("child_name", ""))
    if state is State.WHICH:
        picked = pick.by_choice(ctx, value, Purpose.VIEW)
        if picked is None:
            ctx.finish()
            return [say(NOT_FOUND, name=text("?"))]
        return _show(ctx, picked.id, picked.name)
    if value == "cancel":
        ctx.finish()
        return [say(CANCELLED)]
    if state is State.OFFER:
        return [ctx.ask(FLOW, State.GOALS, N_("The goals for {child}, one per line (or separated by ；):"),
                        {"child": child}, prose=True)]
    if state is State.PEOPLE:
        ctx.values["people"] = []
        return [_ask_date(ctx)]
    if state is State.REVIEW_DATE:
        return _save(ctx, local_date(ctx.now, ctx.timezone) + timedelta(days=30))
    if value == "note":
        return [ctx.ask(FLOW, State.NOTE, N_("The progress note for {child}:"), {"child": child}, prose=True)]
    if value == "review":
        return [ctx.ask(FLOW, State.REVIEW_NOTE, N_("What did the review of {child}'s plan find?"),
                        {"child": child}, prose=True)]
    ok = plans.close_plan(ctx.uow, ctx.bound(), plan_id=int(ctx.values.get("plan_id", 0)), now=ctx.now)
    _recorded(ctx, "closed", ok)
    ctx.finish()
    return [say(N_("The plan of {child} is closed.") if ok else N_("That plan is no longer open."), child=child)]


def _recorded(ctx: Ctx, what: str, ok: object, child_id: int | None = None, plan_id: int | None = None) -> None:
    """A change of the plan is audited (``what``: opened, note, review, closed) when it was made.

    The ids default to the flow's values (pass them once the flow has finished).
    """
    if ok:
        audit_child(ctx, AuditAction.PLAN_RECORDED, child_id or int(ctx.values.get("child_id", 0)),
                    plan=plan_id or int(ctx.values.get("plan_id") or 0), what=what)


def _ask_date(ctx: Ctx) -> Prompt:
    return ctx.ask(FLOW, State.REVIEW_DATE, N_("When is the first review? A date such as 3月15日, or:"),
                   options=(IN_30_DAYS,), free_text=True)


def _items(typed: str) -> list[str]:
    return [" ".join(part.split()) for part in _SPLIT.split(typed) if part.strip()]


def on_text(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """Goals, measures, people, a date, a note."""
    state = State(ctx.conv.state or State.PLAN)
    child = text(ctx.values.get("child_name", ""))
    if state is State.OFFER:
        return _open_or_not(ctx, typed)
    if state is State.WHICH:
        return _named_at_which(ctx, typed)
    if state is State.PLAN:  # a choice is wanted: never a review recorded from stray words
        return None
    if state in (State.GOALS, State.MEASURES, State.NOTE, State.REVIEW_NOTE):
        problem = text_problem(typed)
        if problem is not None:
            return [problem, *([p] if (p := ctx.current_prompt()) else [])]
    if state is State.GOALS:
        ctx.values["goals"] = _items(typed)
        return [ctx.ask(FLOW, State.MEASURES, N_("The measures (what the school and family will do), one per line:"),
                        prose=True)]
    if state is State.MEASURES:
        ctx.values["measures"] = _items(typed)
        return [ctx.ask(FLOW, State.PEOPLE, N_("Who is responsible? Names separated by 、 — or Skip for the class "
                                               "teacher and the helper teacher."), options=(SKIP,), free_text=True)]
    if state is State.PEOPLE:
        ids: list[int] = []
        names: dict[int, str] = {}
        unknown: list[str] = []
        for name in filter(None, re.split(r"[、,，\s]+", typed.strip())):
            found = tasks.colleagues(ctx.uow, ctx.bound(), name)
            if len(found) == 1:
                ids.append(found[0][0])
                names[found[0][0]] = found[0][1]
            else:
                unknown.append(name)
        if unknown:
            return [say(N_("I couldn't find a colleague called {name} at your school."), name=text(unknown[0])),
                    *([p] if (p := ctx.current_prompt()) else [])]
        child_id = int(ctx.values.get("child_id", 0))
        unpaired = next((i for i in ids if not plans.may_be_responsible(ctx.uow, child_id, i)), None)
        if unpaired is not None:  # she would be reminded to review a plan /plan cannot show her (testers)
            return [say(NOT_RESPONSIBLE, name=text(names[unpaired]), child=child),
                    *([p] if (p := ctx.current_prompt()) else [])]
        ctx.values["people"] = ids
        return [_ask_date(ctx)]
    if state is State.REVIEW_DATE:
        when = typed_date(typed, local_date(ctx.now, ctx.timezone))
        if when is None:
            return [say(N_("Please give a date after today and within a year, such as 3月15日.")), _ask_date(ctx)]
        return _save(ctx, when)
    plan_id = int(ctx.values.get("plan_id", 0))
    child_id = int(ctx.values.get("child_id", 0))
    ctx.finish()
    if state is State.NOTE:
        ok = plans.add_note(ctx.uow, ctx.bound(), plan_id=plan_id, note=typed, now=ctx.now)
        _recorded(ctx, "note", ok, child_id, plan_id)
        return [say(N_("Noted in the plan of {child}.") if ok else N_("That plan is no longer open."), child=child)]
    following = plans.review_done(ctx.uow, ctx.bound(), plan_id=plan_id, note=typed, now=ctx.now,
                                  timezone=ctx.timezone)
    _recorded(ctx, "review", following, child_id, plan_id)
    if following is None:
        return [say(N_("That plan is no longer open."))]
    return [say(N_("Review recorded. The next review of {child}'s plan is on {date}."), child=child,
                date=day(following))]


ANSWER_YES_NO = N_("Please answer yes or no.")


def _open_or_not(ctx: Ctx, typed: str) -> list[Prompt]:
    """Words at "Open one?": the everyday yes (``好``, ``要``, ``yes``) opens, no (``不用``, ``no``) cancels.

    Other words were once answered "That plan is no longer open" and the question was gone (fix6aj): now the
    question is asked again.
    """
    if everyday.matches(ctx.locale, "yes", typed):
        return on_choice(ctx, "open")
    if everyday.matches(ctx.locale, "no", typed):
        return on_choice(ctx, "cancel")
    return [say(ANSWER_YES_NO), *([p] if (p := ctx.current_prompt()) else [])]


def _save(ctx: Ctx, first_review: date) -> list[Prompt]:
    v = ctx.values
    plan_id = plans.open_plan(ctx.uow, ctx.bound(), child_id=int(v.get("child_id", 0)), goals=v.get("goals", []),
                              measures=v.get("measures", []), people=v.get("people", []), first_review=first_review,
                              now=ctx.now, request_key=f"plan:{ctx.conv.id}:{ctx.conv.version}")
    child = text(v.get("child_name", ""))
    v["plan_id"] = plan_id
    _recorded(ctx, "opened", plan_id)
    ctx.finish()
    if plan_id is None:
        return [say(N_("Only the class teacher and the school's admins may open a plan for {child}."), child=child)]
    return [say(N_("The plan of {child} is open; the first review is on {date}; everyone responsible will be "
                   "reminded."), child=child, date=day(first_review))]


COMMANDS = {"plan": start}
"""Command name (``bot.flows.commands.COMMANDS`` value) → handler."""
