"""The report's safeguarding question: a description that suggests harm at home is asked about before anyone is told.

An abuse report must never go first to the accused guardian (DESIGN.md "Privacy", "Escalation"). When a
report of another kind — or words added to an open report — suggests harm by a family member or carer
(:mod:`bot.flows.harm_words`), the reporter is asked, naming the child, whether it is a report of suspected
abuse or neglect (then the family-free chain, as the kind "suspected abuse" has) or to go on as it is;
nothing is guessed silently and nothing is sent first. The add-to confirm names who will read the words.
"""

from __future__ import annotations

from typing import Any

from bot.domain.enums import IncidentKind, Severity
from bot.flows import pick
from bot.flows.common import Ctx, Option
from bot.flows.harm_words import suggests_harm
from bot.i18n import gettext
from bot.messages.prompt import N_, Prompt, text
from bot.services import incident_exclusions, incident_limits, incident_privacy
from bot.services.incident_people import is_safeguarding

QUESTION = N_("What you wrote about {name} may describe harm by a family member or carer. Is this a report of "
              "suspected abuse or neglect? Then the school's leaders and the child-protection contacts are told, "
              "not the child's family.")
CHOICES = (Option(N_("Yes, report suspected abuse or neglect (the family is not told)"), "safeguard"),
           Option(N_("No, continue as it is"), "continue"),
           Option(N_("Continue, leaving someone out"), "leave_out"))
ADD_CHOICES = (Option(N_("Yes, a new report of suspected abuse or neglect (the family is told nothing further "
                         "about this)"), "safeguard"),
               Option(N_("No, add it as it is"), "add"), Option(N_("Add it, leaving someone out"), "leave_out"),
               Option(N_("Cancel"), "cancel"))
TALK_NOTE = N_("Talk note: {value}")
"""Under the question when the report was offered by a talk with a safety concern: its note counted too."""
LEFT_OUT_REASON = N_("Safeguarding report made from this incident")
"""Kept on the earlier incident's timeline for each family member left out of it."""


def asks(ctx: Ctx) -> bool:
    """Whether the description needs the safeguarding question (not when the report is one already).

    The child's family counts by name too (``被张强打的``), and a talk's note the report was offered from
    (``她说爷爷经常用皮带抽她``, :func:`bot.flows.incident.start_for_child`) counts with the new words.
    """
    v = ctx.values
    if is_safeguarding(v.get("kind", "")):
        return False
    words = "\n".join(w for w in (v.get("talk_note") or "", v.get("description", "")) if w)
    names = incident_privacy.family_names(ctx.uow, int(v["child_id"])) if v.get("child_id") else []
    return suggests_harm(words, names)


def question(ctx: Ctx, flow: str, state: str, *, adding: bool) -> Prompt:
    """The question, naming the child (``adding``: words for an open report), and the talk's note it weighed."""
    lines: list[tuple[str, dict[str, Any]]] = [(N_("Description: {value}"), {"value": text(ctx.values["description"])})]
    if ctx.values.get("talk_note"):
        lines.append((TALK_NOTE, {"value": text(ctx.values["talk_note"])}))
    return ctx.ask(flow, state, QUESTION, {"name": pick.child_param(ctx)}, ADD_CHOICES if adding else CHOICES,
                   lines=tuple(lines))


def make_safeguarding(ctx: Ctx) -> None:
    """The report becomes one of suspected abuse or neglect: always urgent, the family-free chain."""
    ctx.values["kind"] = IncidentKind.SUSPECTED_ABUSE.value
    ctx.values["severity"] = Severity.EMERGENCY.value


def leave_family_out(ctx: Ctx, incident_id: int) -> None:
    """The earlier report's family gets nothing further: each is left out of its chain (a reason kept)."""
    reason = gettext(ctx.locale, LEFT_OUT_REASON)
    incident_exclusions.leave_out_family(ctx.uow, incident_id=incident_id,
                                         by=ctx.bound().person_id, reason=reason, now=ctx.now)


def readers_lines(ctx: Ctx) -> tuple[tuple[str, dict[str, Any]], ...]:
    """"Who will read it: …" on the add-to confirm, and who is left out (the family by relation only to an outsider)."""
    v = ctx.values
    knows = incident_privacy.knows_family(ctx.uow, ctx.bound().person_id, int(v["child_id"]))
    left_out: dict[str, str] = v.get("left_out", {})
    people = [incident_privacy.who(name, role, knows) if role else text(name)
              for pid, name, role in incident_exclusions.readers(ctx.uow, int(v["merge"]["id"]),
                                                                 ctx.bound().person_id)
              if str(pid) not in left_out]
    lines: list[tuple[str, dict[str, Any]]] = [
        (N_("Who will read it: {people}"), {"people": people}) if people
        else (N_("Nobody else has been told of that report yet."), {})]
    shown = v.get("shown", {})
    lines.extend((N_("Not told: {role} — {reason}"), {"role": shown.get(pid, text("")), "reason": text(reason)})
                 for pid, reason in left_out.items())
    return tuple(lines)


def add(ctx: Ctx) -> bool:
    """Add the words to the open report, first leaving out of its chain whoever the reporter chose (a reason kept)."""
    v = ctx.values
    incident_id, by = int(v["merge"]["id"]), ctx.bound().person_id
    for person_id, reason in v.get("left_out", {}).items():
        incident_exclusions.exclude_from_chain(ctx.uow, incident_id=incident_id, by=by, person_id=int(person_id),
                                               reason=reason, now=ctx.now)
    return incident_limits.add_to_incident(ctx.uow, incident_id=incident_id, person_id=by, text=v["description"],
                                           now=ctx.now, kind=v.get("kind"))
