"""What the card and the talk record show, line by line (the rendering of :mod:`bot.flows.card`).

Rendering only (no audit, no state kept): the facts come from
:mod:`bot.services.cards` and :mod:`bot.services.talk_history`, already cut
to what the reader may see; here they become a prompt's header and lines.
See docs/flows/card.md.
"""

from __future__ import annotations

from typing import Any

from bot.domain import archive, roster_terms
from bot.flows import pick
from bot.flows.common import Ctx, say
from bot.flows.talk import RATING_LABELS
from bot.messages.labels import RELATION_LABELS, kinship_param
from bot.messages.prompt import N_, Prompt, day, dt, msg, phone, text
from bot.services import cards, talk_history
from bot.services.cards import Card, Contact, Part
from bot.services.talk_history import Shown

FACT_LABELS = {**archive.FIELDS, "student_no": N_("student number"), "aid": N_("aid")}


def talks_prompt(ctx: Ctx, child_id: int, child: str, rows: list[talk_history.TalkRow], total: int) -> Prompt:
    """The talks with a child, newest first (``rows`` as :func:`bot.services.talk_history.history` cuts them)."""
    left = pick.left_mark(ctx, child_id)
    if not rows:
        if left is not None:
            return say(N_("{left}\nNo talk with {child} is recorded yet."), left=left, child=text(child))
        return say(N_("No talk with {child} is recorded yet."), child=text(child))
    lines = []
    for r in rows:
        kind = N_("monthly talk") if r.kind == "class_teacher_monthly" else N_("weekly talk")
        about = {"when": dt(r.talked_at), "kind": msg(kind), "author": text(r.author)}
        if r.shown is Shown.WITHHELD:  # a safety concern: its details are the leaders' and its author's
            lines.append((N_("• {when} {kind} by {author}: content for the school's leaders only"), about))
            continue
        lines.append((N_("• {when} {kind} by {author}: mood {mood}, study {study}, daily life {life}{flags}"),
                      {**about, "mood": _rating(r.mood), "study": _rating(r.study), "life": _rating(r.daily_life),
                       "flags": _flags(r)}))
        if r.note:
            lines.append((N_("  “{note}”"), {"note": text(r.note)}))
        elif r.shown is Shown.NO_NOTE:
            lines.append((N_("  (the note is read by its author, the class teacher and the school's leaders)"), {}))
    params = {"child": text(child), "shown": len(rows), "total": total}
    if left is not None:  # marked at the top: the child has left the school
        return Prompt(N_("{left}\nTalks with {child} ({shown} of {total}, newest first):"), {**params, "left": left},
                      lines=tuple(lines))
    return Prompt(N_("Talks with {child} ({shown} of {total}, newest first):"), params, lines=tuple(lines))


def _rating(value: str | None) -> Any:
    label = next((lbl for key, lbl in RATING_LABELS.items() if key.value == value), None)
    return msg(label) if label else "—"


def _flags(r: talk_history.TalkRow) -> Any:
    if r.safety_concern and r.follow_up:
        return msg(N_("; safety concern; needs follow-up"))
    if r.safety_concern:
        return msg(N_("; safety concern"))
    if r.follow_up:
        return msg(N_("; needs follow-up"))
    return ""


_PERSON = {(True, True): N_("{name} ({kinship}) {phone}"), (True, False): N_("{name} ({kinship})"),
           (False, True): N_("{name} {phone}"), (False, False): N_("{name}")}
"""A family member with only the parts on record: no "（—）" for a kinship or phone not given."""


def _contact_line(c: Contact) -> tuple[str, dict[str, Any]]:
    """One family member's line; an empty part (no kinship, no phone) is left out, never shown as a dash."""
    who = {"name": text(c.name), **({"kinship": kinship_param(c.label)} if c.label else {}),
           **({"phone": phone(c.phone)} if c.phone else {})}
    person: Any = msg(_PERSON[(bool(c.label), bool(c.phone))], **who)
    params: dict[str, Any] = {"who": msg(RELATION_LABELS.get(c.kind, c.kind)), "person": person}
    if c.unable_to_guard:
        return N_("• {who}: {person}, unable to guard"), params
    if c.work_place:
        params["place"] = text(c.work_place)
        return N_("• {who}: {person}, works in {place}"), params
    return N_("• {who}: {person}"), params


def card_lines(c: Card) -> tuple[str, dict[str, Any], tuple[tuple[str, dict[str, Any]], ...]]:
    """The card as a prompt's header, its parameters and its lines (the family's latest messages last)."""
    params = {"child": text(c.name), "class_name": text(c.class_name or "—")}
    lines: list[tuple[str, dict[str, Any]]] = []
    if c.class_teacher is not None and c.class_teacher.phone:
        lines.append((N_("• class teacher: {name} {phone}"), {
            "name": text(c.class_teacher.name), "phone": phone(c.class_teacher.phone)}))
    elif c.class_teacher is not None:
        lines.append((N_("• class teacher: {name}"), {"name": text(c.class_teacher.name)}))
    for key, value in c.facts.items():
        if key in ("class", "guardian", "guardian_relation", "guardian_phone", "parent_contact") or value is None:
            continue
        shown: Any = day(value) if cards.birth(value) else (msg(N_("yes")) if value is True else
                                                             msg(N_("no")) if value is False else
                                                             roster_terms.term_param(key, str(value)))
        lines.append((N_("• {field}: {value}"), {"field": msg(FACT_LABELS[key]), "value": shown}))
    lines += [_contact_line(f) for f in c.family]
    for p in c.pairings:
        lines.append((N_("• {who}: {name}"), {"who": msg(RELATION_LABELS[p.kind]), "name": text(p.name)}))
    if c.missing_pairings:
        lines.append((N_("• no {pairings} yet"), {"pairings": [msg(archive.PAIRINGS[k]) for k in c.missing_pairings]}))
    if c.part is Part.FULL:
        if c.missing:
            lines.append((N_("Missing from the registration form: {fields}"),
                          {"fields": [msg(archive.FIELDS[k]) for k in c.missing]}))
        else:
            lines.append((N_("The registration form is complete."), {}))
    return N_("Card of {child} ({class_name}):"), params, (*lines, *_said_lines(c))


def _said_lines(c: Card) -> list[tuple[str, dict[str, Any]]]:
    """The family's latest messages about the child (about a sibling too: both named), answered or not."""
    if not c.said:
        return []
    lines: list[tuple[str, dict[str, Any]]] = [(N_("Families' messages about {child} (newest first):"),
                                                {"child": text(c.name)})]
    for m in c.said:
        params = {"when": dt(m.when), "writer": text(m.writer), "children": [text(n) for n in m.children],
                  "words": text(m.words) if m.words else msg(N_("(a voice message or photo)"))}
        if m.answered_by is None and not m.may_answer:  # "see /due" only where /due lists it
            lines.append((N_("• {when} {writer} about {children}: “{words}” — not answered yet"), params))
        elif m.answered_by is None:
            lines.append((N_("• {when} {writer} about {children}: “{words}” — not answered yet (see /due)"), params))
        else:
            lines.append((N_("• {when} {writer} about {children}: “{words}” — answered by {teacher}"),
                          {**params, "teacher": text(m.answered_by)}))
    return lines
