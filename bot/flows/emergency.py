"""Emergency words get an immediate, useful answer at any hour (issue 6, DESIGN.md "Conversations").

The runner asks :func:`intercept` about typed text before it is taken for a
command or an answer (:mod:`bot.domain.emergency_words` decides what is an
emergency: ``救命``, ``孩子发高烧抽筋了``, ``SOS``, not ``不紧急``):

* a guardian or parent is told at once what to do now (120 for a medical
  emergency, 110 for a missing child or the police), the school's and their
  own children's class teachers' numbers, and that the class teacher is told
  now; the words go to that teacher as URGENT (quiet hours do not hold them:
  :mod:`bot.services.urgent_messages`), marked urgent, naming the child;
* a staff member outside a text answer is pointed to 120/110 and to
  reporting an incident (``/incident``), instead of "didn't understand".

Neither answers the question waiting in the chat (a Friday check-in's "Needs
help" is never picked by ``救命``): that question is asked again after the
answer (:func:`bot.flows.agenda.beside_current`). A slash command, a staff
member's command (``紧急情况 杨秀云`` starts a report, ``help me`` shows the
help) and a family member's bare keyword ``紧急情况`` (the emergency numbers)
stay commands; a family member's ``help me`` is an emergency. A text written where a
staff member's flow wants words (an incident's description) is that flow's.
"""

from __future__ import annotations

from typing import Any

from bot.domain.emergency_words import EmergencyKind, emergency_kind
from bot.domain.enums import STAFF_ROLES
from bot.flows import agenda as agenda_flow
from bot.flows import commands, intent
from bot.flows import relay as family_flow
from bot.flows.common import Ctx
from bot.messages.labels import ROLE_LABELS
from bot.messages.prompt import N_, Prompt, msg, text
from bot.messages.prompt import phone as phone_param
from bot.services import urgent_messages
from bot.services.family_messages import FamilyChild
from bot.services.incident_people import emergency_contacts

FIRST = {
    EmergencyKind.MEDICAL: N_("If someone is ill or hurt, call 120 for an ambulance now."),
    EmergencyKind.POLICE: N_("If a child is missing or in danger, call 110 (police) now."),
    EmergencyKind.URGENT: N_("In an emergency call 120 (ambulance) or 110 (police) now."),
}
TOLD = N_("Your message about {children} was sent to {reader} ({role}) as urgent, just now: they will phone you "
          "or answer here.")
NOBODY_TOLD = N_("There is no teacher on record for your child, so please phone the school now.")
SCHOOL_PHONE = N_("School phone: {phone}")
TEACHER_PHONE = N_("{teacher}, class teacher of {child}: {phone}")
STAFF = N_("In an emergency call 120 (ambulance) or 110 (police) first. Then report it here: send /incident "
           "and the child's name, and the child's family and the school's leaders are told at once.")


def intercept(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """The answer to emergency words, with the question waiting asked again; None when they are not that."""
    actor = ctx.actor
    children = family_flow.writes_about(ctx) if actor is not None else []
    kind = emergency_kind(typed, tuple(n for c in children for n in _name_forms(c.name))) \
        if actor is not None else None
    if actor is None or kind is None or commands.normalised(typed).startswith("/"):
        return None
    parsed = commands.parse(typed)
    if children:
        if parsed is not None and parsed[0] != "help" and not parsed[1]:
            return None  # 紧急情况 alone: the emergency numbers (bot.flows.incident)
        return agenda_flow.beside_current(ctx, _family(ctx, typed, kind, children))
    if not STAFF_ROLES & actor.roles or parsed is not None or intent.expects_prose(ctx) \
            or family_flow.answering(ctx):
        return None  # an incident's description, a note, an answer to a family: the flow's own words
    return agenda_flow.beside_current(ctx, [Prompt(STAFF)])


def _family(ctx: Ctx, typed: str, kind: EmergencyKind, children: list[FamilyChild]) -> list[Prompt]:
    """What to do now, whom to phone, and who was told; the words sent URGENT to the class teacher."""
    named = [c for c in children if _names(typed, c.name)] or children
    passed = urgent_messages.pass_on(ctx.uow, from_person_id=ctx.bound().person_id, child_ids=[c.id for c in named],
                                     body=typed, kind=kind, now=ctx.now, channel=ctx.channel)
    lines: list[tuple[str, dict[str, Any]]] = []
    for told in passed:
        lines.append((TOLD, {"children": [text(n) for n in told.children], "reader": text(told.reader),
                             "role": msg(ROLE_LABELS.get(told.reader_role, N_("teacher")))}))
    if not passed:
        lines.append((NOBODY_TOLD, {}))
    contacts = emergency_contacts(ctx.uow, ctx.bound().person_id)
    if contacts.school_phone:
        lines.append((SCHOOL_PHONE, {"phone": phone_param(contacts.school_phone)}))
    wanted = {c.name for c in named}
    for child, teacher, number in contacts.teachers:
        if number and child in wanted:
            lines.append((TEACHER_PHONE, {"teacher": text(teacher), "child": text(child),
                                          "phone": phone_param(number)}))
    return [Prompt(FIRST[kind], lines=tuple(lines))]


def _name_forms(name: str) -> tuple[str, ...]:
    """How a family writes a child's name: whole, or the given name alone (秀云 of 杨秀云)."""
    return (name, name[1:]) if len(name) >= 3 else (name,)


def _names(typed: str, name: str) -> bool:
    """Whether the message names the child (:func:`_name_forms`)."""
    spaceless = "".join(typed.split())
    return any(form in spaceless for form in _name_forms(name))
