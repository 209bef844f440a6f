"""Letters (亲情书信) in chat: a teacher sends the photos and names the child; a parent replies.

Teacher: photos (one or several messages) → whose letter (a child of theirs,
picked or typed) → Send to the parents / Cancel; more photos may come at any
step and are added. Parent: "Reply to …" (``lr:<letter>``) → text, photos or
a voice message → relayed to the class teacher. A photo or voice message a
parent sends without the button answers their latest letter. See
docs/flows/letters.md.
"""

from __future__ import annotations

import logging
from enum import StrEnum

from bot.domain.enums import Role
from bot.flows import pick, relay
from bot.flows.common import CANCELLED, INVALID_BUTTON, Ctx, Option, say, text_problem
from bot.messages.prompt import N_, Prompt, plural, text
from bot.services import access, letters
from bot.services.access import Purpose

log = logging.getLogger(__name__)
FLOW = "letter"
REPLY_FLOW = "letter_reply"
MAX_LISTED = 20
TEACHING = frozenset({Role.CLASS_TEACHER, Role.HELPER_TEACHER, Role.CARING_PARENT})


class State(StrEnum):
    """The states of both flows."""

    PICK_CHILD = "pick_child"
    CONFIRM = "confirm"
    REPLY = "reply"


CANCEL = Option(N_("Cancel"), "cancel")
NO_MEDIA = N_("I can pass on photos of a child's letter (teachers) and replies to letters (parents). Please write "
              "in words what you need.")


def on_media(ctx: Ctx, media: tuple[tuple[str, str], ...], caption: str | None) -> list[Prompt]:
    """Photos or a voice message arrived: part of a letter, a reply, or nothing the bot can take."""
    actor = ctx.bound()
    if ctx.conv.flow == REPLY_FLOW:
        return _reply(ctx, int(ctx.values["letter_id"]), caption, media)
    photos = [ref for kind, ref in media if kind == "photo"]
    if ctx.conv.flow == FLOW and photos:
        ctx.values["photos"] = [*ctx.values.get("photos", []), *photos][: letters.MAX_PHOTOS]
        return [_again(ctx)]
    if TEACHING & actor.roles and photos:
        ctx.finish()
        ctx.values["photos"] = photos[: letters.MAX_PHOTOS]
        return [_ask_child(ctx)]
    latest = letters.latest_letter(ctx.uow, person_id=actor.person_id, now=ctx.now)
    if latest is not None:
        return _reply(ctx, latest, caption, media)
    # Nothing said is dropped (issue 6.4): a family's voice note goes to the class teacher as it is.
    voice = tuple(m for m in media if m[0] == "voice")
    return (relay.pass_on(ctx, caption, media=voice) if voice else None) or [say(NO_MEDIA)]


def _ask_child(ctx: Ctx) -> Prompt:
    children = access.find_children(ctx.uow, ctx.bound(), purpose=Purpose.TALK)
    options = [pick.child_option(c) for c in children[:MAX_LISTED]]
    count = len(ctx.values["photos"])
    return ctx.ask(FLOW, State.PICK_CHILD,
                   *plural("{count} photo of a letter. Whose letter is it? Choose the child or type the name.",
                           "{count} photos of a letter. Whose letter is it? Choose the child or type the name.",
                           count, count=count),
                   options=[*options, CANCEL], free_text=True)


def _confirm(ctx: Ctx) -> Prompt:
    names = [name for _id, name in letters.parents(ctx.uow, int(ctx.values["child_id"]))]
    if not names:
        return ctx.ask(FLOW, State.CONFIRM, N_("No parent of {child} is on record: there is nobody to send the letter "
                                               "to."), {"child": pick.child_param(ctx)}, options=(CANCEL,))
    count = len(ctx.values["photos"])
    return ctx.ask(FLOW, State.CONFIRM,
                   *plural("Send {count} photo of {child}'s letter to {parents}?",
                           "Send {count} photos of {child}'s letter to {parents}?", count,
                           count=count, child=pick.child_param(ctx), parents=[text(n) for n in names]),
                   options=(Option(N_("Send"), "send"), CANCEL))


def _again(ctx: Ctx) -> Prompt:
    return _confirm(ctx) if ctx.conv.state == State.CONFIRM else _ask_child(ctx)


def on_choice(ctx: Ctx, value: str) -> list[Prompt]:
    """A child picked, Send, Cancel."""
    if value == "cancel":
        ctx.finish()
        return [say(CANCELLED)]
    if ctx.conv.state == State.PICK_CHILD:
        child = pick.by_choice(ctx, value, Purpose.TALK)
        if child is None:
            return [say(INVALID_BUTTON), _ask_child(ctx)]
        pick.remember(ctx, child)
        return [_confirm(ctx)]
    sent = letters.send_letter(ctx.uow, actor=ctx.bound(), child_id=int(ctx.values["child_id"]),
                               photos=list(ctx.values["photos"]), now=ctx.now,
                               request_key=f"letter:{ctx.conv.id}:{ctx.conv.version}")
    name = pick.child_param(ctx)
    ctx.finish()
    if sent is None:
        return [say(INVALID_BUTTON)]
    on_its_way = plural("{child}'s letter is on its way to {count} parent. Their replies will come to the class "
                        "teacher.",
                        "{child}'s letter is on its way to {count} parents. Their replies will come to the class "
                        "teacher.", sent[1], child=name, count=sent[1])
    return [Prompt(*on_its_way)]


def on_text(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """A child's name (the teacher), or the words of a reply (a parent)."""
    if ctx.conv.flow == REPLY_FLOW:
        problem = text_problem(typed)
        if problem is not None:
            return [problem]
        return _reply(ctx, int(ctx.values["letter_id"]), typed.strip(), ())
    if ctx.conv.state != State.PICK_CHILD:
        return None
    found = pick.by_name(ctx, typed, Purpose.TALK)
    if len(found) != 1:
        return [say(pick.NOT_FOUND, name=text(typed.strip())) if not found else
                pick.ask_which(ctx, FLOW, State.PICK_CHILD, typed.strip(), found)]
    pick.remember(ctx, found[0])
    return [_confirm(ctx)]


def on_reply_button(ctx: Ctx, letter_id: int) -> list[Prompt]:
    """A parent's "Reply to …": what to send."""
    if not letters.may_reply(ctx.uow, letter_id=letter_id, person_id=ctx.bound().person_id):
        return [say(INVALID_BUTTON)]
    ctx.finish()
    ctx.values["letter_id"] = letter_id
    return [ctx.ask(REPLY_FLOW, State.REPLY, N_("Write your reply to {child}, or send a photo or a voice message. "
                                                "The class teacher will read it to {child}."),
                    {"child": text(letters.child_name(ctx.uow, letter_id))}, options=(CANCEL,), prose=True)]


def _reply(ctx: Ctx, letter_id: int, words: str | None, media: tuple[tuple[str, str], ...]) -> list[Prompt]:
    teachers = letters.reply(ctx.uow, letter_id=letter_id, parent_id=ctx.bound().person_id, words=words,
                             media=list(media), now=ctx.now)
    child = text(letters.child_name(ctx.uow, letter_id))
    if ctx.conv.flow == REPLY_FLOW:
        ctx.finish()
    if teachers is None:
        return [say(NO_MEDIA)]
    return [say(N_("Thank you. Your reply goes to the class teacher, who will read it to {child}."), child=child)]
