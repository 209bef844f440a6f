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
answer (:func:`bot.flows.agenda.beside_current`); at a check-in's note question
the words are also kept as the note, and that question is not asked again. A
slash command, a staff
member's command (``紧急情况 杨秀云`` starts a report, ``help me`` shows the
help) and a family member's bare keyword ``紧急情况`` (the emergency numbers)
stay commands; a family member's ``help me`` is an emergency. A text written where a
staff member's flow wants words (an incident's description) is that flow's.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from bot.domain import child_mentions
from bot.domain.emergency_words import EmergencyKind, bare_number_kind, emergency_kind
from bot.domain.enums import STAFF_ROLES
from bot.flows import agenda as agenda_flow
from bot.flows import agenda_held, all_clear_pick, checkin_harm, commands, intent
from bot.flows import checkin as checkin_flow
from bot.flows import relay as family_flow
from bot.flows.checkin_hold import reader
from bot.flows.common import Ctx
from bot.messages.labels import ROLE_LABELS
from bot.messages.prompt import N_, Prompt, msg, text
from bot.messages.prompt import phone as phone_param
from bot.services import (
    family_messages,
    family_notes,
    incident_open,
    incident_questions,
    incident_replies,
    urgent_messages,
)
from bot.services.emergency_contacts import emergency_contacts, only_school_phone
from bot.services.family_messages import FamilyChild

FIRST = {
    EmergencyKind.MEDICAL: N_("If someone is ill or hurt, call 120 for an ambulance now."),
    EmergencyKind.FIRE: N_("If there is a fire, get everyone out and call 119 now; call 120 if anyone is hurt."),
    EmergencyKind.POLICE: N_("If a child is missing or in danger, call 110 (police) now."),
    EmergencyKind.HARM: N_("If a child has been hurt by someone and is in danger, call 110 (police) now; call 120 if "
                           "the child is badly hurt."),
    EmergencyKind.HELP: N_("If the child gets worse (a high fever, trouble breathing, will not wake), call 120 now. "
                           "The teacher will phone you about getting the child seen."),
    EmergencyKind.URGENT: N_("In an emergency call 120 (ambulance) or 110 (police) now."),
}
TOLD = N_("Your message about {children} was sent to {reader} ({role}) as urgent, just now: they will phone you "
          "or answer here.")
TOLD_UNNAMED = N_("Your message, which names no child, was sent to {reader} ({role}) as urgent, just now: they "
                  "will phone you or answer here.")
ALREADY_TOLD = N_("{reader} ({role}) already has your urgent message about {children} from a few minutes ago; "
                 "this one is added to it. If nobody has phoned you yet, phone the numbers below.")
NOBODY_TOLD = N_("There is no teacher on record for your child, so please phone the school now.")
TEACHER_PHONE = N_("{teacher}, class teacher of {child}: {phone}")
STAFF = N_("In an emergency call 120 (ambulance) or 110 (police) first. Then report it here: send /incident "
           "and the child's name, and the child's family and the school's leaders are told at once.")


HELP_NOW = (EmergencyKind.HARM, EmergencyKind.HELP)
"""Kinds whose words at the check-in of the child answer it "needs help" (:mod:`bot.flows.checkin_harm`)."""

DARK = (19, 6)
"""Local hours from which, and until which, a child not home (``孩子还没回家``) is a missing child."""


def is_family_number(ctx: Ctx, typed: str) -> bool:
    """A bare ``110`` / ``119`` / ``120`` from a family member: the emergency, whatever question is shown."""
    actor = ctx.actor
    return actor is not None and not STAFF_ROLES & actor.roles and bare_number_kind(typed) is not None


def _kind(ctx: Ctx, typed: str, children: list[FamilyChild]) -> EmergencyKind | None:
    """What emergency ``typed`` tells of (None: none, or a slash command)."""
    if ctx.actor is None or commands.normalised(typed).startswith("/"):
        return None
    hour = ctx.now.astimezone(ZoneInfo(ctx.timezone)).hour
    return (emergency_kind(typed, tuple(n for c in children for n in child_mentions.forms(c.name)),
                           late=hour >= DARK[0] or hour < DARK[1])
            or (bare_number_kind(typed) if is_family_number(ctx, typed) else None))


def _children(ctx: Ctx) -> list[FamilyChild]:
    """The writer's children; else a child who left school with an open incident alert of theirs (conv6p).

    The alert about 杨秀云, reported before she left, stays open: her grandfather's ``救命`` at it gets what to
    do now, as at any alert (:func:`bot.services.incident_questions.left_alerted`).
    """
    if ctx.actor is None:
        return []
    return family_flow.writes_about(ctx) or incident_questions.left_alerted(ctx.uow, ctx.actor.person_id)


def is_family_emergency(ctx: Ctx, typed: str) -> bool:
    """Whether a guardian's or parent's ``typed`` gets the family's emergency answer (``救命``, ``120``).

    Asked before the words are taken as a reply to an incident alert (:mod:`bot.flows.reached`): the emergency
    comes first, and acknowledges the alert as well.
    """
    children = _children(ctx)
    if not children or _kind(ctx, typed, children) is None:
        return False
    parsed = commands.parse(typed)
    return parsed is None or parsed[0] == "help" or bool(parsed[1])  # 紧急情况 alone: the emergency numbers


def intercept(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """The answer to emergency words, with the question waiting asked again; None when they are not that."""
    actor = ctx.actor
    children = _children(ctx)
    kind = _kind(ctx, typed, children)
    if actor is None or kind is None:
        return None
    parsed = commands.parse(typed)
    if children:
        if parsed is not None and parsed[0] != "help" and not parsed[1]:
            return None  # 紧急情况 alone: the emergency numbers (bot.flows.incident)
        held = _held_for(ctx, typed, children)
        if held is not None:  # its check-in words wait for the open emergency: to the reporter, the hold kept (fix6u)
            asked = incident_questions.ask(ctx.uow, person_id=actor.person_id, child_id=held, words=typed.strip(),
                                           now=ctx.now)
            if asked is not None:
                return [Prompt(FIRST[kind]), family_flow.asked_prompt(asked, typed.strip())]
            # Nobody handling an incident of theirs reads them: 【紧急】 at once, as with nothing held — never a
            # plain message queued behind an earlier one (fix9z, a breaker's 救命).
            return _family(ctx, typed, kind, children)
        answer = _family(ctx, typed, kind, children)
        answer = [*answer, *_to_reporter(ctx, typed, children)]
        about = _named(ctx, typed, children)
        if kind in HELP_NOW and len(about) == 1 and not intent.expects_prose(ctx):  # 孩子被打了 at the check-in
            recorded = checkin_harm.record(ctx, [about[0].id], typed.strip())  # (of two children: never guessed)
            if recorded is not None:
                return agenda_flow.beside_current(ctx, [*answer, *recorded])
        asked_kind = checkin_flow.at_help_kind(ctx)
        if kind in HELP_NOW and asked_kind is not None:  # 孩子被打了 at "what kind of help?": its answer (fix6ai)
            own = family_notes.checkin_child(ctx.uow, asked_kind)
            if [c.id for c in about] == [own] or not child_mentions.named(typed, [(c.id, c.name) for c in children]):
                ended = checkin_flow.keep_emergency_help(ctx, typed.strip())
                return [*answer, *([ended] if ended is not None else [])]
        if ctx.conv.flow == all_clear_pick.FLOW:  # 没事了, then 婷婷在医院抢救 at "which child?": no all clear (D2)
            answer = [*answer, *all_clear_pick.emergency_at_pick(ctx, typed)]
        if intent.expects_prose(ctx) and checkin_flow.at_note(ctx) is not None:
            return _as_checkin_note(ctx, typed, children, answer)
        return agenda_held.held_back(ctx, answer)  # no "1. 很好" under 120/110: the check-in comes back later
    if not STAFF_ROLES & actor.roles:  # a family member with no child on record: still what to do now
        if parsed is not None and parsed[0] != "help" and not parsed[1]:
            return None
        return agenda_flow.beside_current(ctx, [_no_child(ctx, kind)])
    if parsed is not None or intent.expects_prose(ctx) or family_flow.answering(ctx):
        return None  # an incident's description, a note, an answer to a family: the flow's own words
    return agenda_flow.beside_current(ctx, [Prompt(STAFF)])


def _held_for(ctx: Ctx, typed: str, children: list[FamilyChild]) -> int | None:
    """The child whose check-in question waits held for its open emergency, when ``typed`` is about that child.

    ``孩子头还在流血吗`` while "what kind of help does 杨秀云 need?" is held under 杨秀云's emergency went to the
    class teacher as 【紧急】 and brought the held question back at once (fix6u, a breaker); other words during the
    hold reach the reporter (:mod:`bot.flows.checkin_hold`, :mod:`bot.flows.note_hold`), and so do these now.
    None: nothing held, the incident closed, or the words name another of the writer's children.
    """
    top = agenda_flow.current(ctx)
    held = top.get("held_child") if top is not None else None
    ids = child_mentions.named(typed, [(c.id, c.name) for c in children])
    if held is None or not incident_open.open_emergency(ctx.uow, int(held), reader_id=reader(ctx)):
        return None
    return int(held) if not ids or ids == [int(held)] else None


def _open_for(ctx: Ctx, ids: list[int]) -> int | None:
    """The one child of ``ids`` whose open emergency the writer acknowledged, with no alert waiting; else None.

    With nothing held, ``孩子发高烧抽筋了`` the evening after 李雪 confirmed the alert about 刘帅 went to the class
    teacher alone as 【紧急】, while 王老师, who reported it, never read it (fix6ab): they go where the held case
    sends them, to that incident's reporter and class teacher. An alert still waiting is answered by the words
    themselves (:mod:`bot.flows.reached`); two children with one open each are told apart by the name only.
    """
    person_id = ctx.bound().person_id
    if incident_replies.waiting(ctx.uow, person_id=person_id):
        return None
    followed = [i for i in ids if incident_open.open_emergency(ctx.uow, i, reader_id=person_id)
                and incident_replies.followed_child(ctx.uow, person_id=person_id, child_ids=[i], now=ctx.now,
                                                    within=None) is not None]
    return followed[0] if len(followed) == 1 else None


def _to_reporter(ctx: Ctx, typed: str, children: list[FamilyChild]) -> list[Prompt]:
    """With nothing held, the words of an acknowledged open emergency also reach its reporter (fix6ab).

    They stay a 【紧急】 to the class teacher (and take a pending all clear back): ``婷婷在医院抢救`` or ``在ICU``
    must never read as an ordinary reply (fix6g, fix6k); the reporter, with the child, reads them as a reply.
    """
    ids = child_mentions.named(typed, [(c.id, c.name) for c in children])
    child_id = _open_for(ctx, ids or [c.id for c in children])
    if child_id is None:
        return []
    asked = incident_questions.to_reporter(ctx.uow, person_id=ctx.bound().person_id, child_id=child_id,
                                           words=typed.strip(), now=ctx.now)
    return [family_flow.asked_prompt(asked, typed.strip())] if asked is not None else []


def _as_checkin_note(ctx: Ctx, typed: str, children: list[FamilyChild], answer: list[Prompt]) -> list[Prompt]:
    """Typed at a check-in's note question: the words are that note too, and the question is not asked again."""
    checkin_id = checkin_flow.at_note(ctx)
    own = family_notes.checkin_child(ctx.uow, checkin_id) if checkin_id is not None else None
    ids = child_mentions.named(typed, [(c.id, c.name) for c in children])
    ended = checkin_flow.keep_emergency_note(ctx, typed.strip() if not ids or own in ids else "")
    return [*answer, ended] if ended is not None else answer


def _no_child(ctx: Ctx, kind: EmergencyKind) -> Prompt:
    """What to do now for a family member with no child on record: nobody at the school can be told by us."""
    lines: list[tuple[str, dict[str, Any]]] = [(NOBODY_TOLD, {})]
    contacts = emergency_contacts(ctx.uow, ctx.bound().person_id)
    if contacts.school_phone:
        lines.append(contacts.school_phone.line())
    return Prompt(FIRST[kind], lines=tuple(lines))


def _alerted(ctx: Ctx, children: list[FamilyChild]) -> list[FamilyChild]:
    """The child of the alert waiting (or acknowledged lately) that words naming no child are about.

    ``救命`` at the alert about 刘帅 is about 刘帅, not about both of his grandmother's grandchildren: the
    【紧急】 names him and says his incident is being handled (found by a trial user).
    """
    ids = incident_replies.alerted_children(ctx.uow, person_id=ctx.bound().person_id,
                                            child_ids=[c.id for c in children], now=ctx.now)
    return [c for c in children if c.id in ids]


def _named(ctx: Ctx, typed: str, children: list[FamilyChild]) -> list[FamilyChild]:
    """The children ``typed`` is about: those it names, else the one of the alert waiting, else all the writer's."""
    ids = child_mentions.named(typed, [(c.id, c.name) for c in children])
    return [c for c in children if c.id in ids] or _alerted(ctx, children) or children


def _family(ctx: Ctx, typed: str, kind: EmergencyKind, children: list[FamilyChild]) -> list[Prompt]:
    """What to do now, whom to phone, and who was told; the words sent URGENT to the class teacher."""
    named = _named(ctx, typed, children)
    # 有个孩子被打了 from a grandmother of two, no alert of hers open: the words name no child, and say so (fix6ai).
    # 救命 just after her 婷婷抽筋了 continues that emergency: no "names no child" label (both are told).
    unnamed = len(children) > 1 and not child_mentions.named(typed, [(c.id, c.name) for c in children]) \
        and not _alerted(ctx, children) \
        and not urgent_messages.sent_lately(ctx.uow, from_person_id=ctx.bound().person_id, now=ctx.now)
    # 隔壁杨秀云被她爷爷打了: someone named, none of hers — said so to her teacher, never "maybe 刘婷婷" (trial B3).
    # Her own answer stays the same whatever the name (never reveal a child exists: fix6ad).
    other = family_flow.about_others(typed, children) and not _alerted(ctx, children)
    passed = urgent_messages.pass_on(ctx.uow, from_person_id=ctx.bound().person_id, child_ids=[c.id for c in named],
                                     body=typed, kind=kind, now=ctx.now, channel=ctx.channel,
                                     unnamed=unnamed and not other, other=other)
    lines: list[tuple[str, dict[str, Any]]] = []
    for told in passed:
        said = ALREADY_TOLD if told.repeat else TOLD_UNNAMED if unnamed else TOLD
        lines.append((said, {"children": [text(n) for n in told.children], "reader": text(told.reader),
                             "role": msg(ROLE_LABELS.get(told.reader_role, N_("teacher")))}))
    if not passed and family_flow.writes_about(ctx):  # (a child who left: the alert's reporter reads the words)
        lines.append((NOBODY_TOLD, {}))
    else:
        lines.extend(family_messages.cut_line(typed))  # never cut silently
    contacts = emergency_contacts(ctx.uow, ctx.bound().person_id)
    if contacts.school_phone:
        lines.append(contacts.school_phone.line())
    wanted = {c.name for c in named}
    by_teacher: dict[tuple[str, str], list[str]] = {}  # each teacher once, with the children they teach
    for child, teacher, number in contacts.teachers:
        if number and child in wanted and child not in by_teacher.setdefault((teacher, number), []):
            by_teacher[(teacher, number)].append(child)
    for (teacher, number), kids in by_teacher.items():
        lines.append((TEACHER_PHONE, {"teacher": text(teacher), "child": [text(c) for c in kids],
                                      "phone": phone_param(number)}))
    return [Prompt(FIRST[kind], lines=tuple(lines))]



UNBOUND_WORDS = ("救命", "被打", "不见了", "失踪", "打人")
"""Words an unbound chat's message is an emergency by, besides :func:`emergency_kind`'s (no child is named there)."""
UNBOUND_HELP = frozenset({"help", "help!", "helpme", "帮帮我"})


def unbound(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """Emergency words from a chat bound to nobody (``救命``, ``孩子不见了``, ``help``): 110 / 120 now, then bind.

    Nobody at the school can be told (we do not know who writes), so the answer is what to do now, the
    school's phone when there is one school on record, and the bind prompt; None when it is no emergency.
    """
    parsed = commands.parse(typed)
    if ctx.actor is not None or (parsed is not None and parsed[0] != "help"):
        return None  # /start CODE, 绑定 CODE, /lang: the command (a code is never read as words)
    folded = "".join(typed.split()).casefold()
    hour = ctx.now.astimezone(ZoneInfo(ctx.timezone)).hour
    kind = emergency_kind(typed, (), late=hour >= DARK[0] or hour < DARK[1])
    if kind is None and (folded.strip("!！。.") in UNBOUND_HELP or any(w in folded for w in UNBOUND_WORDS)):
        kind = EmergencyKind.POLICE if ("不见" in folded or "失踪" in folded) else EmergencyKind.URGENT
    if kind is None:
        return None
    lines: list[tuple[str, dict[str, Any]]] = []
    if kind is not EmergencyKind.URGENT:
        lines.append((FIRST[EmergencyKind.URGENT], {}))
    number = only_school_phone(ctx.uow)
    if number:
        lines.append(number.line())
    after = commands.help_prompt(ctx) if parsed is not None and parsed[0] == "help" else commands.bind_first(ctx)
    return [Prompt(FIRST[kind], lines=tuple(lines)), after]
