"""A teacher's ``/due`` lists an urgent family message once, with its follow-ups under it (issue 6).

A grandfather who writes ``孩子发高烧抽筋了``, then ``孩子不见了``, then ``我在村口等`` sends one
【紧急】 message and two 【紧急·补充】 follow-ups (:func:`bot.services.urgent_messages.follow_up`). They
are one emergency about one child: ``/due`` shows the first message with the follow-ups' words quoted under
it and counted, never three separate items, so the teacher answers the family once. Answering the first
or any follow-up answers the whole chain (:func:`bot.services.urgent_escalation.answered`).
"""

from __future__ import annotations

from dataclasses import replace

from bot.messages.prompt import Prompt, dt, plural, text
from bot.services import family_messages, urgent_escalation, urgent_messages
from bot.services.ports import UnitOfWork
from bot.store.models import FamilyMessage


def waiting(uow: UnitOfWork, *, teacher_id: int) -> list[int]:
    """The family messages still waiting for ``teacher_id``, oldest first, a follow-up only under its first.

    A follow-up whose first message waits too is shown with it; one whose first was answered was answered
    with it. A first message whose follow-up was answered (Reply pressed on the follow-up) is answered.
    """
    ids = family_messages.waiting_for(uow, teacher_id=teacher_id)
    listed = set(ids)
    out: list[int] = []
    for message_id in ids:
        row = uow.session.get(FamilyMessage, message_id)
        first = row.answer_to_id if row is not None and row.kind == "message" else None
        if first is not None and (first in listed or urgent_escalation.answered(uow, first)):
            continue
        if first is None and urgent_escalation.answered(uow, message_id):
            continue
        out.append(message_id)
    return out


def shown(uow: UnitOfWork, message_id: int) -> Prompt | None:
    """The message as its reader first saw it, its follow-ups' words and their count under its words."""
    base = family_messages.shown_again(uow, message_id)
    row = uow.session.get(FamilyMessage, message_id)
    if base is None or row is None:
        return None
    if row.urgent_step is not None:  # a 【紧急】 message is listed as one, as its reader first saw it
        base = replace(base, message_id=urgent_messages.URGENT_WRITES if row.body else urgent_messages.URGENT_SENT,
                       params={**base.params, "when": dt(row.created_at)})
    more = urgent_escalation.follow_ups(uow, message_id)
    if not more:
        return base
    count = plural("Followed by {count} more message:", "Followed by {count} more messages:", len(more),
                   count=len(more))
    quoted = [(urgent_escalation.FOLLOWED, {"when": dt(f.created_at), "words": text(f.body)}) if f.body
              else (urgent_escalation.FOLLOWED_SENT, {"when": dt(f.created_at)}) for f in more]
    cut = 1 if row.body else 0
    return replace(base, lines=(*base.lines[:cut], count, *quoted, *base.lines[cut:]))
