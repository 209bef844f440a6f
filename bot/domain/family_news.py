"""Monthly news to the parents working away (每月反馈): what may be told, and how the month is said.

The plans ask the school to tell the parents every month how their child is
doing ("每个月对留守儿童的学习生活情况与其在外务工父母反馈"). The news is drafted
from that month's records, and only from the parts that may be shared:

* a talk record card gives its three ratings (mood, study, daily life) —
  :data:`SHAREABLE_TALK_FIELDS`. Its note, its safety concern and its
  follow-up flag are the teacher's working notes and are never shared;
* the weekly check-ins give how many weeks the guardian answered;
* programme items done for the child's class give their titles;
* letters give how many reached the parents.

The class teacher may add a line of their own when reviewing. The facts are
stored as JSON (:func:`facts`) when the draft is made; :func:`lines` says them
in the recipient's language at send time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any

from bot.messages.prompt import N_, msg, plural, text

SHAREABLE_TALK_FIELDS = ("mood", "study", "daily_life")
"""The parts of a talk record card the parents may read; everything else on the card stays at school."""

RATING_WORDS = {"good": N_("doing well"), "fair": N_("so-so"), "poor": N_("needs more care")}
"""A rating as the parents read it (``bot.domain.enums.Rating`` value → message id)."""

TALK_FIELD_LINES = {
    "mood": N_("Mood: {rating}"),
    "study": N_("Study: {rating}"),
    "daily_life": N_("Daily life (meals, sleep, hygiene): {rating}"),
}


PARTS: dict[str, str] = {
    "mood": N_("Mood"),
    "study": N_("Study"),
    "daily_life": N_("Daily life"),
    "talks": N_("Talks with teachers"),
    "checkins": N_("Weekly contact with the family"),
    "activities": N_("Activities at school"),
    "letters": N_("Letters"),
}
"""The parts of the news the class teacher can share or withhold, in the order the parents read them."""


class NewsStatus(StrEnum):
    """Where a month's news stands."""

    DRAFT = "draft"  # waiting for the class teacher
    SENT = "sent"
    SKIPPED = "skipped"  # the class teacher chose not to send it this month


def facts(
    *,
    talk: Mapping[str, Any] | None,
    talks: int,
    checkins_answered: int,
    checkin_weeks: int,
    activities: Iterable[tuple[str, bool]],
    letters: int,
) -> dict[str, Any]:
    """The month's shareable facts as JSON-serialisable data.

    Args:
        talk: the class teacher's latest monthly talk card (any mapping with
            its fields); only :data:`SHAREABLE_TALK_FIELDS` are kept.
        talks: talks held with the child this month (class teacher and volunteers).
        checkins_answered: weekly check-ins the guardian answered.
        checkin_weeks: weekly check-ins sent.
        activities: ``(title, title_is_message_id)`` of the programme items done.
        letters: letters from the child delivered to the parents.
    """
    ratings = {f: str(talk[f]) for f in SHAREABLE_TALK_FIELDS if talk and talk.get(f) in RATING_WORDS}
    return {
        "ratings": ratings,
        "talks": int(talks),
        "checkins": {"answered": int(checkins_answered), "weeks": int(checkin_weeks)},
        "activities": [{"title": t, "is_id": bool(i)} for t, i in activities],
        "letters": int(letters),
    }


def has_records(stored: Mapping[str, Any]) -> bool:
    """Whether anything was recorded that month (a month without any record has no news to tell)."""
    checkins = stored.get("checkins") or {}
    return bool(stored.get("ratings") or stored.get("talks") or checkins.get("weeks") or stored.get("activities")
                or stored.get("letters"))


def _part_lines(stored: Mapping[str, Any], child: str) -> list[tuple[str, str, dict[str, Any]]]:
    """``(part, message id, parameters)`` of every part of :data:`PARTS` that has something to say."""
    out: list[tuple[str, str, dict[str, Any]]] = []
    ratings = stored.get("ratings") or {}
    for field in SHAREABLE_TALK_FIELDS:  # fixed order; anything else stored is ignored
        rating = ratings.get(field)
        if rating in RATING_WORDS:
            out.append((field, TALK_FIELD_LINES[field], {"rating": msg(RATING_WORDS[rating])}))
    talks = int(stored.get("talks") or 0)
    if talks:
        out.append(("talks", *plural("Teachers talked with {child} {count} time this month.",
                                     "Teachers talked with {child} {count} times this month.", talks,
                                     child=text(child), count=talks)))
    checkins = stored.get("checkins") or {}
    if int(checkins.get("weeks") or 0):
        weeks = int(checkins["weeks"])
        out.append(("checkins", *plural("Weekly contact with the family at home: {answered} of {weeks} week answered.",
                                        "Weekly contact with the family at home: {answered} of {weeks} weeks answered.",
                                        weeks, answered=int(checkins.get("answered") or 0), weeks=weeks)))
    titles = [msg(a["title"]) if a.get("is_id") else text(str(a["title"])) for a in stored.get("activities") or ()]
    if titles:
        out.append(("activities", N_("Activities at school: {titles}"), {"titles": titles}))
    letters = int(stored.get("letters") or 0)
    if letters:
        out.append(("letters", N_("Letters from {child} sent to you: {count}"),
                    {"child": text(child), "count": letters}))
    return out


def parts_present(stored: Mapping[str, Any]) -> list[str]:
    """The parts of :data:`PARTS` this month's news has something to say about (the teacher's switches)."""
    return [part for part, _message, _params in _part_lines(stored, "")]


def lines(stored: Mapping[str, Any], *, child: str, teacher: str | None, note: str | None,
          withheld: Iterable[str] = ()) -> tuple[tuple[str, dict[str, Any]], ...]:
    """The news's lines (message id, parameters) from stored :func:`facts` and the teacher's note.

    A part in ``withheld`` (the class teacher marked it not to be shared) is
    left out. A month with nothing recorded says so; a month whose parts are
    all withheld says nothing but the teacher's line.
    """
    hidden = set(withheld)
    found = _part_lines(stored, child)
    out = [(message, params) for part, message, params in found if part not in hidden]
    if not found:
        out.append((N_("A quiet month: nothing special to report."), {}))
    if note:
        out.append((N_("From the class teacher {teacher}: {note}"), {"teacher": text(teacher or ""),
                                                                       "note": text(note)}))
    return tuple(out)
