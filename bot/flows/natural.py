"""Natural replies the runner settles before anything else (issue 6 item 3, DESIGN.md "Conversations").

* the slip question ``您是想发送“帮助”吗？`` answered (:mod:`bot.flows.slips`);
* a teacher's answer to a family's message typed as ``回复：好的`` /
  ``reply: ok``: the word "reply" and its colon are no part of the answer.
  Where a family's message waits for this teacher's reply (shown, or queued
  behind a talk in progress), ``回复：好的`` answers it at once (as Reply, then
  the words): a flow running meanwhile is set aside and asked again after.
  While an answer is being written, or on Telegram's reply to the message,
  only the words after the prefix are sent. With no family message waiting,
  ``回复 …`` answers the one this teacher answered last (within 24 hours):
  the answer names whom it went to; with none, the words are shown back.
"""

from __future__ import annotations

import re

from bot.domain.enums import STAFF_ROLES
from bot.flows import agenda as agenda_flow
from bot.flows import misplaced, slips
from bot.flows import relay as family_flow
from bot.flows.common import Ctx, say
from bot.i18n import LOCALES, gettext
from bot.messages import payloads
from bot.messages.prompt import N_, Prompt, text
from bot.services import family_messages

_CJK_REPLY = ("回复", "回覆")  # 回覆: the traditional form, typed by some phones' input methods


def _prefix() -> re.Pattern[str]:
    words = {gettext(locale, family_flow.REPLY_WORD) for locale in LOCALES} | {family_flow.REPLY_WORD, *_CJK_REPLY}
    cjk = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True) if not w.isascii())
    latin = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True) if w.isascii())
    # A Chinese prefix may be followed by a space (``回复 好的``); an English one needs its colon (``reply: ok``),
    # so that an answer which merely starts with the word is kept whole (``回复晚了，抱歉``, ``Reply soon``).
    return re.compile(rf"\s*(?:(?:{cjk})\s*[:：]|(?:{cjk})\s+|(?:{latin})\s*[:：])\s*(?P<rest>\S.*)",
                      re.IGNORECASE | re.DOTALL)


_PREFIX = _prefix()


def without_reply_word(typed: str) -> str | None:
    """``回复：好的`` → ``好的``; None when ``typed`` does not start with the reply word and a separator."""
    found = _PREFIX.fullmatch(typed)
    return found.group("rest").strip() if found else None


def settle(ctx: Ctx, payload: str | None, typed: str | None,
           reply_to: tuple[str, ...] = ()) -> list[Prompt] | str | None:
    """What to answer before the usual handling; a ``str`` is the text to handle instead; None: as usual."""
    slipped = slips.settle(ctx, payload, typed)
    if slipped is not None or payload is not None or typed is None or ctx.actor is None:
        return slipped
    words = without_reply_word(typed)
    if words is None:  # words typed for a flow as a family's urgent message arrived: kept, asked which
        return misplaced.catch(ctx, typed)
    if family_flow.answering(ctx) or any(isinstance(payloads.decode(p), payloads.FamilyReply) for p in reply_to):
        return words
    message_id = _family_message_waiting(ctx)
    if message_id is None:  # a second 回复 …: to the family message answered last (the answer names whom)
        message_id = family_messages.last_answered(ctx.uow, teacher_id=ctx.actor.person_id, now=ctx.now)
    if message_id is None:
        return _nobody_waiting(ctx, words)
    # 回复：… is never a talk's note or another flow's answer while a family waits for this reply: the flow is
    # set aside and asked again, named, once the answer is sent (bot.flows.agenda.ask_next).
    agenda_flow.suspend(ctx)
    started = family_flow.on_reply_button(ctx, message_id)
    if not family_flow.answering(ctx):
        return started  # not this teacher's to answer (any more): said so
    return family_flow.on_text(ctx, words)


NOBODY_WAITING = N_("No family message is waiting for your answer, so these words were sent to nobody: “{words}”. "
                    "To answer a family, choose Reply under their message.")


def _nobody_waiting(ctx: Ctx, words: str) -> list[Prompt] | None:
    """``回复 …`` from staff with no family message to answer: said so, the words shown back (never dropped silently).

    None for a family member (their words are passed on as any other message).
    """
    actor = ctx.actor
    if actor is None or not STAFF_ROLES & actor.roles or ctx.conv.flow:
        return None
    return [say(NOBODY_WAITING, words=text(words))]


def _family_message_waiting(ctx: Ctx) -> int | None:
    """The family message whose Reply waits in this chat: the question shown first, else the next one queued."""
    for entry in agenda_flow.waiting(ctx):
        for payload in entry.get("payloads") or ():
            pressed = payloads.decode(payload)
            if isinstance(pressed, payloads.FamilyReply):
                return pressed.message_id
    return None


def reply(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """An unknown slash command or a command word's slip (:mod:`bot.flows.slips`); None: neither."""
    return slips.reply(ctx, typed)
