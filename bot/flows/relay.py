"""A family's words that answer no question reach the class teacher, and the teacher answers (issue 6 item 4).

* :func:`pass_on` — a guardian or parent wrote something that answers no
  question (``孩子发烧两天了，我腿脚不好带不去医院``): with one child it goes
  to that child's class teacher at once; with several and one class teacher
  for them all it goes to that teacher at once, naming them all; with several
  teachers the bot first asks which child it is about, naming them, with a
  "Both" choice (each child's teacher gets it). The writer is told who will read it.
  While an incident about the child is open and its chain reached the writer
  (``在哪个医院`` hours after confirming the alert), the words are about that
  incident: they go at once to its reporter and the class teacher
  (:mod:`bot.services.incident_questions`), answered with the same Reply.
* :func:`on_reply_button` — the teacher pressed Reply (``fam:<id>``; a number
  on WeChat) under the message, or answered it with Telegram's reply: the next
  text they write goes back to the family member.
See docs/flows/relay.md, :mod:`bot.services.family_messages`; 【紧急】 follow-ups :mod:`bot.flows.relay_urgent`.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from enum import StrEnum
from typing import Any

from bot.domain import child_mentions, name_like
from bot.domain.enums import RelationKind, Role
from bot.flows import agenda as agenda_flow
from bot.flows import family_notes, night, relay_answered, relay_meant, relay_pick, relay_urgent
from bot.flows import relay_cancel as not_sent
from bot.flows.common import INVALID_BUTTON, TOO_LONG, Ctx, Option, say, text_problem
from bot.flows.typed import fold
from bot.i18n import LOCALES, gettext
from bot.messages import payloads
from bot.messages.labels import ROLE_LABELS
from bot.messages.prompt import N_, Prompt, dt, msg, text
from bot.services import (
    family_about,
    family_messages,
    family_together,
    incident_questions,
    incident_replies,
)
from bot.services.family_messages import FamilyChild, Passed

log = logging.getLogger(__name__)
FLOW = "relay"


class State(StrEnum):
    """The flow's states (see its diagram in docs/flows/relay.md)."""

    PICK_CHILD = "pick_child"
    ANSWER = "answer"


CANCEL = Option(N_("Cancel"), "cancel")
PASSED = N_("Thank you. Your message about {child} was passed to {reader} ({role}), who will read it and "
            "answer you here.")
NO_READER = N_("Sorry, there is no teacher on record for {child}, so I could not pass your message on. "
               "Please phone the school.")
WHICH_CHILD = relay_pick.WHICH_CHILD


def writes_about(ctx: Ctx) -> list[FamilyChild]:
    """The children a guardian or parent may write to the school about (none for staff).

    A caring-parent volunteer (爱心家长) with no child of his own writes about his paired children: his words
    outside any question (``她奶奶住院了没人管她做作业``) reach their class teacher as a family's do, asking
    which child when he has several — nothing said is dropped (a tester got "didn't understand", fix6h).
    """
    actor = ctx.actor
    if actor is None:
        return []
    found = family_messages.family_children(ctx.uow, actor.person_id)
    if not found and Role.CARING_PARENT in actor.roles:
        return family_messages.family_children(ctx.uow, actor.person_id, kinds=(RelationKind.CARING_PARENT.value,))
    return found


_FAMILY = frozenset({Role.GUARDIAN, Role.PARENT})
NO_CHILD_NOW = N_("Your account is not linked to any child at the school just now, so this message was not passed "
                  "to a teacher. If it is about a child, please phone the school.")


def pass_on(ctx: Ctx, typed: str | None, *, media: tuple[tuple[str, str], ...] = ()) -> list[Prompt] | None:
    """A family member's message outside any question; None when the writer has no child to write about."""
    children = writes_about(ctx)
    if not children:
        # A guardian or parent no longer linked to any child (a child who left, or was erased): say so, never
        # "didn't understand" — what they wrote is not lost on them (a breaker found it silently dropped).
        return [say(NO_CHILD_NOW)] if ctx.actor is not None and _FAMILY & ctx.actor.roles else None
    if about_others(typed, children):  # 杨秀云需要帮助 / 王小军需要帮助: one reply, whoever is named (fix6ai)
        return [_to_readers(to_every_reader(ctx, typed or "", media, plain=True))]
    named = family_notes.named(ctx, typed, children)  # 帅帅今天没去上学: about 刘帅, no need to ask
    if named is None and len(children) > 1:
        # Words right after confirming an alert (他现在好点了吗？) follow that alert's child (conv6l a).
        followed = incident_replies.followed_child(ctx.uow, person_id=ctx.bound().person_id,
                                                   child_ids=[c.id for c in children], now=ctx.now)
        named = next((c for c in children if c.id == followed), None)
    if len(children) == 1 or named is not None:
        return [_passed(ctx, (named or children[0]).id, typed, media)]
    groups = family_together.by_reader(ctx.uow, [c.id for c in children])
    if len(groups) == 1:  # one class teacher for all her children: no question, one message naming them all
        return _passed_all(ctx, typed, media)
    ctx.conv.data["v"] = {"body": typed or "", "media": [list(m) for m in media], "asked": ctx.now.isoformat()}
    return [relay_pick.ask(ctx, FLOW, State.PICK_CHILD, children)]  # a volunteer's 21 children: type the name


ALL_VALUE = relay_pick.ALL_VALUE
PASSED_OTHERS = N_("Thank you. Your message was passed to {readers}, who will read it and answer you here.")


def about_others(typed: str | None, children: list[FamilyChild]) -> bool:
    """Words naming none of the writer's children, a clause of them opening with someone else's name.

    Decided from the words alone (:mod:`bot.domain.name_like`), never the roster: ``杨秀云需要帮助`` (a child of
    another family) and ``王小军需要帮助`` (no child at all) read the same, and neither is "about 刘婷婷、刘帅".
    """
    pairs = [(c.id, c.name) for c in children]
    if not typed or child_mentions.named(typed, pairs):
        return False
    forms = {f for c in children for f in (*child_mentions.forms(c.name), *child_mentions.latin_forms(c.name))}
    return any(name_like.other_subject(clause, forms) for clause in re.split(r"[，,。.；;！!？?\n]+", typed)
               if clause.strip())


def _to_readers(told: list[Prompt]) -> Prompt:
    """"Your message was passed to 张老师 (class teacher) …": who reads it, never which children it is about."""
    readers: list[Any] = []
    lines: list[tuple[str, dict[str, Any]]] = []
    for p in told:
        if p.message_id == PASSED:
            readers.append(msg(N_("{name} ({role})"), name=p.params["reader"], role=p.params["role"]))
        elif p.message_id == family_notes.PASSED_MANY:
            readers.extend([*p.params["readers"], p.params["last"]])
        lines.extend(line for line in p.lines if line not in lines)
    return Prompt(PASSED_OTHERS, {"readers": readers}, lines=tuple(lines)) if readers else told[0]


def to_every_reader(ctx: Ctx, body: str, media: tuple[tuple[str, str], ...] = (), *,
                    plain: bool = False) -> list[Prompt]:
    """``body`` about every child of the writer's: one message to each class teacher, naming that reader's children.

    For words whose child the writer did not say when asked (:mod:`bot.flows.checkin_which`): nothing is guessed,
    and nothing is dropped. ``plain``: words written before an alert came, never a reply to it (fix6aa).
    """
    return _passed_all(ctx, body, media, plain)


def _passed_all(ctx: Ctx, body: str | None, media: tuple[tuple[str, str], ...], plain: bool = False) -> list[Prompt]:
    """The message about every child of the writer's: one message to each reader, naming that reader's children."""
    out: list[Prompt] = []
    for ids in family_together.by_reader(ctx.uow, [c.id for c in writes_about(ctx)]):
        if len(ids) > 1 and body and body.strip() and not media and not plain:
            # A child with an open incident that reached the writer: the words go to those handling it (conv6p).
            handled = [i for i in ids if incident_questions.reached_open(ctx.uow, person_id=ctx.bound().person_id,
                                                                         child_id=i)]
            asked = [(i, _asked(ctx, i, body)) for i in handled]
            out.extend(p if p is not None else _passed(ctx, i, body, media) for i, p in asked)
            # This group's one reader (the class teacher) read the words about the incident: not again about the
            # others (fix6au: 张老师 got 「在哪个医院」 twice, for 刘帅's incident and as 刘婷婷's message).
            ids = [] if any(p is not None for _, p in asked) else [i for i in ids if i not in handled]
        if not ids:
            continue
        if len(ids) == 1:
            out.append(_passed(ctx, ids[0], body, media, plain))
            continue
        done = family_together.pass_on_together(ctx.uow, from_person_id=ctx.bound().person_id, child_ids=ids,
                                                body=body, media=media, channel=ctx.channel, now=ctx.now)
        if done is None:  # cannot happen (one reader, her own children): each passed on by itself then
            out.extend(_passed(ctx, i, body, media, plain) for i in ids)
            continue
        out.append(_told(ctx, done.passed, [*done.children], body))
    return family_notes.one_line(out)  # children in two classes: both teachers named in one line (fix6b)


def about_child(ctx: Ctx, child_id: int, body: str) -> Prompt:
    """A family member's words about one child: to those handling its open incident that reached them, else as any.

    (:mod:`bot.flows.all_clear`: a worried question, the words of a guardian left out of the chain.)
    """
    return _passed(ctx, child_id, body, ())


def _asked(ctx: Ctx, child_id: int, body: str | None) -> Prompt | None:
    """``body`` to those handling ``child_id``'s open incident that reached the writer (conv6p); None: no such."""
    asked = incident_questions.ask(ctx.uow, person_id=ctx.bound().person_id, child_id=child_id, words=body or "",
                                   now=ctx.now) if body and body.strip() else None
    return asked_prompt(asked, body) if asked is not None else None


def _passed(ctx: Ctx, child_id: int, body: str | None, media: tuple[tuple[str, str], ...],
            plain: bool = False) -> Prompt:
    actor = ctx.bound()
    asked = _asked(ctx, child_id, body) if not media and not plain else None
    if asked is not None:  # 孩子怎么样了 while the incident is open: to those handling it, about it (conv6p)
        return asked
    urgent = relay_urgent.followed(ctx, child_id, body, media)
    if urgent is not None:  # his 【紧急】 message is open: these words follow it at once, whatever the hour
        return urgent
    passed = family_messages.pass_on(ctx.uow, from_person_id=actor.person_id, child_id=child_id, body=body,
                                     media=media, channel=ctx.channel, now=ctx.now)
    if passed is None:
        names = {c.id: c.name for c in writes_about(ctx)}
        return say(NO_READER, child=text(names.get(child_id, "")))
    return _told(ctx, passed, [passed.child], body)


def _told(ctx: Ctx, passed: Passed, children: list[str], body: str | None) -> Prompt:
    """"Your message about 刘婷婷、刘帅 was passed to 张老师 …", and when they see it."""
    told = say(PASSED, child=[text(n) for n in children], reader=text(passed.reader),
               role=msg(ROLE_LABELS.get(passed.reader_role, N_("teacher"))))
    return replace(told, lines=(*told.lines, *night.held_for_night(ctx, passed.reader),
                                *family_messages.cut_line(body)))  # never cut silently


ASKED = N_("Thank you. Your message about {child} (the incident reported at {at}) was passed to {readers}, who "
           "will read it now and answer you here.")
REPORTER = N_("who reported the incident")


def readers_param(readers: tuple[tuple[str, str], ...] | list[tuple[str, str]]) -> list[dict[str, object]]:
    """``(name, role)`` readers of an incident's words as "王校长（事件报告人）、王老师（班主任）"."""
    return [msg(N_("{name} ({role})"), name=text(name),
                role=msg(REPORTER if role == "reporter" else ROLE_LABELS.get(role, N_("teacher"))))
            for name, role in readers]


def asked_prompt(asked: incident_questions.Asked, body: str | None) -> Prompt:
    """"Your message about 杨秀云 (the incident reported at 16:58) was passed to 王校长 (…) and 王老师 (班主任)"."""
    told = say(ASKED, child=text(asked.child), at=dt(asked.reported_at), readers=readers_param(asked.readers))
    return replace(told, lines=(*told.lines, *family_messages.cut_line(body)))  # URGENT: never held for the night


REPLY_WORD = N_("Reply")  # the label of the Reply button under a family's message (bot.services.family_messages)
ANSWERING_ALREADY = N_("You are writing your answer to {name} now: type the answer itself, and it is sent as you "
                       "write it. To cancel, reply 1 or send /cancel.")
NOT_SENT = not_sent.NOT_SENT
NOT_THE_TEXT = N_("“{word}” alone is not kept as the text: please type the words themselves.")


def is_reply_word(ctx: Ctx, typed: str) -> bool:
    """Whether ``typed`` is only the Reply button's word (``回复``, ``reply``) in any language."""
    want = fold(typed).strip("：:。.!！")
    return any(want == fold(gettext(locale, REPLY_WORD)) for locale in {ctx.locale, *LOCALES})


def words_wanted(ctx: Ctx) -> Prompt:
    """What a bare ``回复`` typed where words are expected hears: never sent or kept as the words themselves."""
    if answering(ctx):
        return say(ANSWERING_ALREADY, name=text(str(ctx.values.get("writer") or "")))
    return say(NOT_THE_TEXT, word=text(gettext(ctx.locale, REPLY_WORD)))


def answering(ctx: Ctx) -> bool:
    """Whether this chat is writing its answer to a family's message just now."""
    return ctx.conv.flow == FLOW and ctx.conv.state == State.ANSWER


def reply_command(ctx: Ctx, arg: str) -> list[Prompt]:
    """``回复`` typed for a family message waiting behind a flow's question (:func:`bot.flows.intent.reply_waiting`)."""
    return on_reply_button(ctx, int(arg)) if arg.isdigit() else [say(INVALID_BUTTON)]


COMMANDS = {"reply": reply_command}


def on_reply_button(ctx: Ctx, message_id: int) -> list[Prompt]:
    """``fam:<id>`` pressed (or Telegram's reply to the passed-on message): ask for the answer."""
    target = family_messages.reply_target(ctx.uow, teacher_id=ctx.bound().person_id, message_id=message_id)
    if target is None:
        return [say(INVALID_BUTTON)]
    ctx.finish()
    writer, child = target
    ctx.conv.data["v"] = {"message_id": message_id, "writer": writer, "child": child}
    about = family_about.names(ctx.uow, message_id) or [child]  # a message about both names both
    return [*relay_answered.by_other(ctx, message_id),
            ctx.ask(FLOW, State.ANSWER, N_("Write your answer to {name} about {child}:"),
                    {"name": _writer(ctx, message_id, writer), "child": [text(n) for n in about]},
                    options=(CANCEL,), prose=True)]


def _writer(ctx: Ctx, message_id: int, name: str) -> dict[str, Any]:
    """The writer as this reader may see them (a reporter of another class: by relation only)."""
    return family_messages.writer_shown(ctx.uow, teacher_id=ctx.bound().person_id, message_id=message_id) \
        or text(name)


def answer_by_reply(ctx: Ctx, quoted: tuple[str, ...], typed: str) -> list[Prompt] | None:
    """Telegram's reply to a passed-on message (its Reply button among ``quoted``): the text is the answer.

    None when the quoted message is not a family message this person may answer (then the text is
    handled as any other).
    """
    if ctx.actor is None:
        return None
    for payload in quoted:
        pressed = payloads.decode(payload)
        if isinstance(pressed, payloads.FamilyReply) and family_messages.reply_target(
                ctx.uow, teacher_id=ctx.actor.person_id, message_id=pressed.message_id) is not None:
            return _answer(ctx, typed, pressed.message_id)
    return None


def _answer(ctx: Ctx, typed: str, message_id: int) -> list[Prompt]:
    """Send the teacher's answer; an answer flow in progress ends (another flow is left as it is)."""
    # Up to a family message's own cap (not a talk note's 500): an answer is refused, never cut, when longer.
    problem = text_problem(typed) if not typed.strip() else None
    if len(typed.strip()) > family_messages.MAX_BODY:
        problem = say(TOO_LONG, limit=family_messages.MAX_BODY)
    if problem is not None:
        return [problem]
    done = family_messages.answer(ctx.uow, teacher_id=ctx.bound().person_id, message_id=message_id, body=typed,
                                  now=ctx.now, quiet_hours=(ctx.settings.quiet_start, ctx.settings.quiet_end))
    if ctx.conv.flow == FLOW and int(ctx.values.get("message_id") or 0) == message_id:
        ctx.finish()  # (an answer to another message, by Telegram's reply, leaves this one in progress)
    if done is None:
        return [say(INVALID_BUTTON)]
    writer = _writer(ctx, message_id, done.writer)
    agenda_flow.drop_answered(ctx, payloads.family_reply(message_id))  # answered: never asked again
    if done.held_until is not None:  # never "sent" while the quiet hours hold it
        return [say(N_("Kept for {name}: it is quiet hours, so it will be delivered at {at}."),
                    name=writer, at=dt(done.held_until))]
    return [say(N_("Sent to {name}."), name=writer)]


def on_choice(ctx: Ctx, value: str) -> list[Prompt]:
    """A child picked for a family message, or Cancel while answering one.

    Cancelled, the family's message stays unanswered on the chat's agenda and
    is asked again (``bot.flows.agenda.ask_next``), with its Reply: at once, or after a flow set aside, which
    comes back first (:mod:`bot.flows.relay_cancel`).
    """
    if value == CANCEL.value:
        return [not_sent.cancelled(ctx)]
    child_id = payloads.decode_child_value(value)
    body = ctx.values.get("body")
    media = tuple((str(kind), str(ref)) for kind, ref in ctx.values.get("media") or ())
    ctx.finish()
    if value == ALL_VALUE:  # "Both": passed on for each child, to each child's class teacher
        return _passed_all(ctx, body, media)
    if child_id is None:
        return [say(INVALID_BUTTON)]
    return [_passed(ctx, child_id, body, media)]


def on_text(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """The teacher's answer; while picking a child, the child's name typed. None when it is neither."""
    state = State(ctx.conv.state or "")
    if state is State.ANSWER:
        if not_sent.is_skip(ctx, typed):  # 跳过, skip: cancelled, never sent to the family word for word
            return [not_sent.cancelled(ctx)]
        meant = relay_meant.flow_answer(ctx, typed)  # 好 for the talk set aside under his message (fix6at)
        if meant is not None:
            return [*meant, ctx.current_prompt() or say(INVALID_BUTTON)]
        answered = _answer(ctx, typed, int(ctx.values.get("message_id") or 0))
        if ctx.conv.flow == FLOW:  # too long or empty: ask again
            return [*answered, ctx.current_prompt() or say(INVALID_BUTTON)]
        return answered
    # A name answers "which child?"; other words are added to the message, never replacing it.
    return family_notes.at_pick_child(ctx, typed, _passed, ctx.current_prompt, writes_about(ctx))

