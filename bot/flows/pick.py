"""Choosing the child a flow is about (shared by /talk, /incident, /card, /aid …).

The access service decides who is in scope; an out-of-scope child gets the
same answer as an unknown name, so the bot never confirms that a child exists.
"""

from __future__ import annotations

from typing import Any

from bot.domain.enums import ADMIN_ROLES, STAFF_ROLES
from bot.flows import typed as typed_answers
from bot.flows.common import Ctx, Option
from bot.messages import payloads
from bot.messages.prompt import N_, Prompt, day, msg, text
from bot.services import access, child_names, left_school
from bot.services.access import ChildRef, Purpose

NOT_FOUND = N_("I couldn't find a child called {name} in your classes.")
WHICH_ONE = N_("There are {count} children called {name}. Which one do you mean?")
DID_YOU_MEAN = N_("I couldn't find a child called {name} in your classes. Did you mean one of these? "
                  "Otherwise send the name again.")
NOT_FOUND_SCHOOL = N_("I couldn't find a child called {name} in your school.")
DID_YOU_MEAN_SCHOOL = N_("I couldn't find a child called {name} in your school. Did you mean one of these? "
                         "Otherwise send the name again.")
DID_YOU_MEAN_FAMILY = N_("I couldn't find a child called {name} among your children. Did you mean one of these? "
                         "Otherwise send the name again.")


def did_you_mean(ctx: Ctx) -> str:
    """"Did you mean …?" in the person's words: "in your classes" for staff, "among your children" for a family.

    A grandmother's misspelt ``/card`` read "in your classes" (found by the cross-child property test).
    """
    staff = ctx.actor is not None and bool(STAFF_ROLES & ctx.actor.roles)
    if staff and whole_school(ctx):
        return DID_YOU_MEAN_SCHOOL
    return DID_YOU_MEAN if staff else DID_YOU_MEAN_FAMILY


def whole_school(ctx: Ctx, purpose: Purpose | None = None) -> bool:
    """Whether the person looks among the whole school's children, not only their classes.

    A principal or admin (they have no classes) does, and so does anyone reporting an incident (any staff
    member may report about any child of the school: issue 6 item 5).
    "In your classes" told 刘主任, who has none, where the bot had looked (fix6q).
    """
    return ctx.actor is not None and (bool(ADMIN_ROLES & ctx.actor.roles) or purpose is Purpose.INCIDENT)


def not_found_message(ctx: Ctx, purpose: Purpose | None = None) -> str:
    """"I couldn't find a child called …": "in your school" or "in your classes" (:func:`whole_school`)."""
    return NOT_FOUND_SCHOOL if whole_school(ctx, purpose) else NOT_FOUND


def child_option(child: ChildRef) -> Option:
    """A picker answer: the name plus the class, so namesakes can be told apart."""
    value = payloads.child_value(child.id)
    if child.class_name:
        return Option(N_("{name} ({class_name})"), value,
                      {"name": text(child.name), "class_name": text(child.class_name)})
    return Option(N_("{name}"), value, {"name": text(child.name)})


def remember(ctx: Ctx, child: ChildRef) -> None:
    """Keep the chosen child in the flow's values."""
    ctx.values.update(child_id=child.id, child_name=child.name, class_name=child.class_name)


def child_param(ctx: Ctx) -> dict[str, Any]:
    """The chosen child's name as a prompt parameter."""
    return text(ctx.values.get("child_name", ""))


def by_name(ctx: Ctx, name: str, purpose: Purpose) -> list[ChildRef]:
    """Children in the actor's scope called exactly ``name`` (whitespace trimmed)."""
    actor = ctx.bound()
    return access.find_children(ctx.uow, actor, purpose=purpose, name=name.strip())


def by_choice(ctx: Ctx, value: str, purpose: Purpose) -> ChildRef | None:
    """The child of a picker answer ``c<id>``, re-checked against the actor's scope."""
    actor = ctx.bound()
    child_id = payloads.decode_child_value(value)
    if child_id is None:
        return None
    if not access.can_act_on_child(ctx.uow, actor, child_id, purpose=purpose):
        return None
    for child in access.find_children(ctx.uow, actor, purpose=purpose):
        if child.id == child_id:
            return child
    return None


def namesake_option(child: ChildRef, seen: child_names.Details | None) -> Option:
    """A picker answer for one of several children of one name: the class and what else tells them apart."""
    if seen is None or not (seen.birth_date or seen.guardian or seen.village):
        return child_option(child)
    shown = child_names.described(child.name, child.class_name, seen)
    return Option(shown["v"], payloads.child_value(child.id), shown.get("p") or {})


def options_for(ctx: Ctx, children: list[ChildRef]) -> list[Option]:
    """Picker answers: namesakes among ``children`` get their distinguishing details, the others name and class."""
    names = [c.name for c in children]
    twins = [c.id for c in children if names.count(c.name) > 1]
    seen = child_names.details(ctx.uow, twins) if twins else {}
    options = [namesake_option(c, seen.get(c.id)) if c.id in seen else child_option(c) for c in children]
    return with_schools(ctx, [c.id for c in children], options)


def with_schools(ctx: Ctx, child_ids: list[int], options: list[Option]) -> list[Option]:
    """Choices spanning schools name each child's school: two 张三 of 一年级1班 at two schools (issue 9)."""
    if not child_ids:
        return options
    schools = child_names.schools_of(ctx.uow, child_ids)
    if len(set(schools.values())) < 2:
        return options
    return [Option(N_("{school}: {choice}"), o.value, {"school": text(schools.get(cid, "")),
                                                      "choice": msg(o.label, **o.params)}, o.typed)
            for cid, o in zip(child_ids, options, strict=True)]


def ask_which(ctx: Ctx, flow: str, state: str, name: str, children: list[ChildRef]) -> Prompt:
    """Several children share the name: ask which one (told apart by class, birth date, guardian, village)."""
    return ctx.ask(
        flow, state, WHICH_ONE, {"count": len(children), "name": text(name)},
        options=options_for(ctx, children), free_text=True,
    )


def shown_name(name: str) -> str:
    """A typed name as it is echoed back: trimmed, and a pasted page cut to a name's length."""
    shown = name.strip()
    return shown if len(shown) <= child_names.MAX_NAME_CHARS else shown[: child_names.MAX_NAME_CHARS] + "…"


NUMBER_NO_NAME = N_("A number alone is no child's name: please send the child's name.")


def not_found(ctx: Ctx, flow: str, state: str, name: str, purpose: Purpose) -> list[Prompt]:
    """No child of that name in scope: offer the closest names in scope (杨亭 → 杨婷), or say so and end.

    A bare number typed where a name is asked (``2`` at "Which child is it about? Send the name.") was read as a
    name, "no child called 2" ended the report (fix6aj): it was meant for a question with numbers. The question on
    screen is asked again, and it takes a name.
    """
    shown = ctx.current_prompt() if (ctx.conv.flow, ctx.conv.state) == (flow, state) else None
    if shown is not None and typed_answers.number(name) is not None:
        return [Prompt(NUMBER_NO_NAME), shown]
    suggestions = child_names.closest(ctx.uow, ctx.bound(), purpose=purpose, name=name)
    if not suggestions:
        ctx.finish()
        return [Prompt(not_found_message(ctx, purpose), {"name": text(shown_name(name))})]
    asked = DID_YOU_MEAN_SCHOOL if whole_school(ctx, purpose) else DID_YOU_MEAN
    return [ctx.ask(flow, state, asked, {"name": text(name.strip())}, options=options_for(ctx, suggestions),
                    free_text=True)]


LEFT_ON = N_("Left school ({date})")
LEFT_UNDATED = N_("Left school")
LEFT_BORN = N_("{left}; born {born}")


def options_with_left(ctx: Ctx, found: list[ChildRef], left: list[ChildRef]) -> list[Option]:
    """Picker answers: those at school as every picker shows them, then those who left, marked with the day.

    A child who left beside a namesake (two 张三 who left the same day) is told apart by the date of birth
    too (:func:`bot.services.child_names.details`); the mark "left school" already tells one at school apart.
    """
    options = options_for(ctx, [c for c in found if c not in left])
    names = [c.name for c in found]
    twins = [c.id for c in left if names.count(c.name) > 1]
    seen = child_names.details(ctx.uow, twins) if twins else {}
    for c in left:
        on = left_school.left(ctx.uow, c.id, ctx.timezone)[1]
        born = seen[c.id].birth_date if c.id in seen else None
        params: dict[str, Any] = {"name": text(c.name), "class_name": text(c.class_name or "—")}
        if on is not None:
            params["date"] = on.isoformat()
        if born is not None:
            params["born"] = day(born)
        options.append(Option(_LEFT_OPTIONS[(born is not None, on is not None)], payloads.child_value(c.id), params))
    return options


_LEFT_OPTIONS = {
    (False, False): N_("{name} ({class_name}, left school)"),
    (False, True): N_("{name} ({class_name}, left school {date})"),
    (True, False): N_("{name} ({class_name}; born {born}; left school)"),
    (True, True): N_("{name} ({class_name}; born {born}; left school {date})"),
}
"""A left child's picker answer: with the day they left when recorded, and their birth date beside a namesake."""


def left_mark(ctx: Ctx, child_id: int) -> dict[str, Any] | None:
    """"Left school (2026-11-20)" for a child who has left (read by the school's leaders), else None.

    Beside a namesake, with the date of birth: "Left school (2026-11-20); born 21 August 2021".
    """
    gone, on = left_school.left(ctx.uow, child_id, ctx.timezone)
    if not gone:
        return None
    mark = msg(LEFT_ON, date=on.isoformat()) if on is not None else msg(LEFT_UNDATED)
    born = left_school.namesake_birth_date(ctx.uow, child_id)  # which of two namesakes this is
    return mark if born is None else msg(LEFT_BORN, left=mark, born=day(born))
