"""The report's confirm screen: who the chain will tell, step by step, and whom the reporter may leave out.

Any teacher may report about any child of the school, but the child's family
is named only to those who may read the child's card with it (the class
teacher, the paired helpers, the admins and leaders): anyone else reads the
family by relation only — "第1步通知：委托监护人" — here and in every later
notice (:mod:`bot.services.incident_privacy`, docs/flows/incident.md).
"""

from __future__ import annotations

from typing import Any

from bot.flows.common import Ctx, Option
from bot.messages.labels import role_label
from bot.messages.prompt import N_, dt, msg, text
from bot.services import incident_exclusions, incident_messages, incident_privacy
from bot.services.incident_messages import role_param
from bot.services.incident_people import ChainMember, chain_preview, is_safeguarding, stand_in_members
from bot.services.incident_roles import kept_away_from


def knows_family(ctx: Ctx) -> bool:
    """Whether the reporter may read the child's family by name."""
    return incident_privacy.knows_family(ctx.uow, ctx.bound().person_id, int(ctx.values["child_id"]))


def members(ctx: Ctx) -> tuple[list[tuple[int, str]], list[ChainMember], Any]:
    """The planned steps, everyone they would reach and when the chain would start."""
    v = ctx.values
    preview = chain_preview(ctx.uow, child_id=v["child_id"], kind=v["kind"], severity=v["severity"], now=ctx.now,
                            quiet_hours=(ctx.settings.quiet_start, ctx.settings.quiet_end))
    return preview.steps, preview.members, preview.start


def chain_lines(ctx: Ctx) -> list[tuple[str, dict[str, Any]]]:
    """Who will be told, step by step, and who is left out (the confirm screen)."""
    v = ctx.values
    steps, found, start = members(ctx)
    knows = knows_family(ctx)
    left_out: dict[str, str] = v.get("left_out", {})
    lines: list[tuple[str, dict[str, Any]]] = []
    gone = kept_away_from(ctx.uow, kind=v["kind"], child_id=v["child_id"], left_out=left_out)
    for step_no, audience in steps:
        here = [m for m in found if m.step_no == step_no]
        told = [m for m in here if str(m.person_id) not in left_out]
        stood = stand_in_members(ctx.uow, v["child_id"], step_no, audience, gone) \
            if is_safeguarding(v["kind"]) and not told else []
        if stood:  # every leader kept away: the report goes to whoever stands in for them (issue 9)
            here = told = stood
        if not here:
            lines.append((N_("Step {step}: {audience} — nobody on record"), {
                "step": step_no, "audience": msg(incident_messages.AUDIENCE_LABELS.get(audience, audience))}))
        elif told:
            lines.append((N_("Step {step} will tell: {people}"), {
                "step": step_no, "people": [incident_privacy.who(m.name, m.role, knows) for m in told]}))
    for m in {m.person_id: m for m in found}.values():
        if str(m.person_id) in left_out and incident_privacy.named(m.role, knows):
            lines.append((N_("Not told: {name} ({role}) — {reason}"), {
                "name": text(m.name), "role": role_param(m.role), "reason": text(left_out[str(m.person_id)])}))
        elif str(m.person_id) in left_out:
            lines.append((N_("Not told: {role} — {reason}"), {
                "role": role_param(m.role), "reason": text(left_out[str(m.person_id)])}))
    if is_safeguarding(v["kind"]):
        lines.append((N_("The child's family will not be told."), {}))
    elif start > ctx.now:
        lines.append((N_("It is quiet hours: the family will be told at {at}."), {"at": dt(start)}))
    return lines


def leave_out_options(ctx: Ctx) -> list[Option]:
    """Everyone of the chain not left out yet, as answers; remembers how each is named for the reason question."""
    v = ctx.values
    knows = knows_family(ctx)
    left_out = v.get("left_out", {})
    # Adding to an open report: the people of its chain, who would read the words (bot.flows.incident_harm).
    chain = incident_exclusions.excludable(ctx.uow, int(v["merge"]["id"])) if "merge" in v else members(ctx)[1]
    people = {m.person_id: m for m in chain if str(m.person_id) not in left_out}
    v["names"] = {str(pid): m.name for pid, m in people.items()}
    v["shown"] = {str(pid): incident_privacy.name_or_relation(m.name, m.role, knows) for pid, m in people.items()}
    return [Option(N_("{name} ({role})"), f"p{m.person_id}", {"name": text(m.name), "role": role_param(m.role)})
            if incident_privacy.named(m.role, knows) else Option(role_label(m.role) or m.role, f"p{m.person_id}")
            for m in people.values()]


def leaving_out(ctx: Ctx) -> dict[str, Any]:
    """The person being left out, as named to this reporter (a name, or only a relation)."""
    v = ctx.values
    return v.get("shown", {}).get(v.get("leaving_out", ""), text(v.get("leaving_out_name", "")))
