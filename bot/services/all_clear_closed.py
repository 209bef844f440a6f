"""A "which child?" whose child's incident closes while it waits: asked again at once, never left stale (fix6l).

李雪 looks after 刘婷婷 and 刘帅, both reported missing. Her ``找到了`` was asked "which child?"
(``1. 刘婷婷 2. 刘帅 3. 都有关 4. 撤回``, :mod:`bot.flows.all_clear_pick`); then 张老师 closed 刘帅's incident.
Until her next answer the list on her screen still offered 刘帅, and its numbers meant what they no longer
could. Now the close notice that reaches her carries the question again, for what still needs an answer:

* one child still open: her words named with that child (``您说的“找到了”是关于刘婷婷的吗？``), answered
  ``是，说的是刘婷婷`` / ``不是，撤回`` or the child's name — never by a bare number, since a ``1`` typed from
  the old list could have meant the other child (DESIGN.md "Conversations": irreversible choices are never a bare
  number; the parents far away would be told the child is safe);
* several still open (a guardian of three): the same question for those children only, answered by name;
* none open: nothing was passed on as an all clear; she is asked whether her words should go to the class
  teacher instead (nothing said is dropped).

The question's buttons carry a new version, so a button of the old list is "from an earlier question". The
answers are the flow's own (:func:`bot.flows.all_clear_pick.on_choice`); this module only re-asks, at the
delivery seam (:func:`bot.services.conversations.present`), where the flows cannot be called.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from bot.messages import payloads
from bot.messages.prompt import N_, Choice, Prompt, text
from bot.services import family_messages, incident_replies
from bot.services.ports import UnitOfWork
from bot.store.models import ChatAccount

if TYPE_CHECKING:
    from bot.services.conversations import ConversationState

FLOW = "all_clear"  # bot.flows.all_clear_pick.FLOW
PICK = "pick"

ONE_LEFT = N_("Your words “{words}” are still waiting: are they about {child}? If so, everyone alerted about "
              "{child}'s incident will be told.")
SOME_LEFT = N_("Your words “{words}” are still waiting: which of {children} are they about? Everyone alerted "
               "about that child's incident will be told.")
NONE_LEFT = N_("Your words “{words}” were not passed on as an all clear: the incidents are closed. Send them to "
               "the class teacher instead?")
YES_ABOUT = N_("Yes, about {name}")
NO_TAKE_BACK = N_("No, take it back")
NAME = N_("{name}")
ALL = N_("All of them")
SEND = "send"
DROP = "drop"
SEND_LABEL = N_("Send them to the teacher")
DROP_LABEL = N_("No need")


def after_close(uow: UnitOfWork, conversation: ConversationState, *, channel: str, account_id: str, prompt: Prompt,
                now: datetime) -> Prompt:
    """The notice with "which child?" asked again when one of its children's incidents is no longer open.

    Args:
        uow: the delivery's unit of work (the caller saves ``conversation`` and commits).
        conversation: the recipient chat's conversation (changed when the question is asked again).
        channel: the recipient chat's channel.
        account_id: the recipient chat's account.
        prompt: the notice (no choices).
        now: UTC now.

    Returns:
        ``prompt`` unchanged unless the chat's current question is "which child?" and a child it offers has no
        open incident any more; then the notice with the question for what still needs an answer, its choices
        numbered from 1 (by name only when a child is offered).
    """
    if conversation.flow != FLOW or conversation.state != PICK:
        return prompt
    person_id = uow.session.scalar(select(ChatAccount.person_id).where(
        ChatAccount.channel == channel, ChatAccount.account_id == account_id).limit(1))
    if person_id is None:
        return prompt
    values: dict[str, Any] = conversation.data.get("v") or {}
    if values.get("closed"):
        return prompt  # already asked what to do with the words: nothing left to offer
    ids = [int(i) for i in values.get("ids") or ()]
    still = [i for i in ids if incident_replies.followed_child(
        uow, person_id=person_id, child_ids=[i], now=now, within=None) is not None]
    if still == ids:
        return prompt
    names = {c.id: c.name for c in family_messages.family_children(uow, person_id)}
    words = str(values.get("words") or "")
    values = {**values, "first": values.get("first") or ids}  # every child first offered, known by name
    if not still:
        question, options = _none_left(words)
        values = {**values, "closed": True}
    else:
        question, options = _left(words, still, names)
        values = {**values, "ids": still}
    asked = _ask(conversation, question, options, values)
    return replace(prompt, lines=(*prompt.lines, (asked.message_id, asked.params)), choices=asked.choices,
                   first_number=1)


def _left(words: str, still: list[int], names: dict[int, str]) -> tuple[Prompt, list[tuple[str, str, dict, bool]]]:
    """The question for the children still open: by name, never a bare number (see the module)."""
    if len(still) == 1:
        name = text(names.get(still[0], ""))
        question = Prompt(ONE_LEFT, {"words": text(words), "child": name})
        return question, [(YES_ABOUT, payloads.child_value(still[0]), {"name": name}, True),
                          (NO_TAKE_BACK, "back", {}, True)]
    question = Prompt(SOME_LEFT, {"words": text(words), "children": [text(names.get(i, "")) for i in still]})
    return question, [*((NAME, payloads.child_value(i), {"name": text(names.get(i, ""))}, True) for i in still),
                      (ALL, "all", {}, True), (NO_TAKE_BACK, "back", {}, True)]


def _none_left(words: str) -> tuple[Prompt, list[tuple[str, str, dict, bool]]]:
    """Every incident closed: the words to the class teacher, or not (a number is harmless here)."""
    return Prompt(NONE_LEFT, {"words": text(words)}), [(SEND_LABEL, SEND, {}, False), (DROP_LABEL, DROP, {}, False)]


def _ask(conversation: ConversationState, question: Prompt, options: list[tuple[str, str, dict, bool]],
         values: dict[str, Any]) -> Prompt:
    """The question made the chat's current one, as :meth:`bot.flows.common.Ctx.ask` makes it."""
    conversation.version += 1
    version = conversation.version
    asked = replace(question, choices=tuple(Choice(label, payloads.flow_choice(version, value), params, typed=typed)
                                            for label, value, params, typed in options))
    conversation.data = {
        **conversation.data, "v": values, "choices": [value for _l, value, _p, _t in options],
        "typed": [value for _l, value, _p, typed in options if typed], "free_text": True, "prose": False,
        "prompt": asked.to_dict(), "versions": [version],
    }
    return asked

