"""An emergency report begun in chat but never sent must not die silently (issue 9, fig9d).

A teacher types ``报告 杨秀云``, picks the kind and "emergency", writes the
description, and is then called away before "Report now": nothing has been
sent and nobody is told. The rule, run by the scheduler's tick with the
injected clock:

* after :data:`REMIND_AFTER` (3 minutes) without an answer, the reporter is told
  once, urgently, that the report was NOT sent and how to send it (the
  question still waits in the chat: its "Report now" still works);
* after :data:`ADMINS_AFTER` (15 minutes), the school's admins (a
  safeguarding report: its leaders only) are told once who began which report
  and the reporter's phone, so that someone phones the reporter.

Why not send the report itself: the reporter has not confirmed what the
family and the officials would read nor whom to leave out (a parent
suspected of abuse, a wrong description); an alert to a family cannot be
taken back. Why the admins after 15 minutes: an emergency's first step is due
within 30 minutes of the report (``bot.domain.escalation``); a teacher
called away from her phone is still reachable by a colleague's call in time.
Only emergencies (safeguarding reports are always emergencies): a minor
incident left unsent keeps waiting for its reporter, as any question does.
A report whose conversation moved on (cancelled, or another command) is no
longer pending and is not reminded.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.domain.enums import ADMIN_ROLES, Priority, Severity
from bot.messages.prompt import N_, Prompt, PromptKind, dt, msg, text
from bot.messages.prompt import phone as phone_param
from bot.services.incident_messages import KIND_LABELS
from bot.services.incident_people import is_safeguarding, leader_ids, people_with_roles, stand_ins
from bot.services.incident_roles import kept_away_from
from bot.services.outbox import enqueue
from bot.services.ports import UnitOfWork
from bot.store.models import ChatAccount, Child, Conversation, OutboxMessage, Person, SchoolClass

log = logging.getLogger(__name__)

REMIND_AFTER = timedelta(minutes=3)
ADMINS_AFTER = timedelta(minutes=15)
FLOW = "incident"  # bot.flows.incident.FLOW (services do not import flows)
PENDING_STATES = frozenset({"description", "confirm", "leave_out", "leave_out_reason"})
"""Where an emergency report waits for its reporter before it is sent (after the severity)."""


def remind_unsent(uow: UnitOfWork, *, now: datetime) -> int:
    """Remind reporters of emergency reports left unsent, then tell the admins. Returns the messages enqueued.

    The reporter's reminder row is the report's "pending since" mark: the admins are told
    :data:`ADMINS_AFTER` after the last answer, measured as the reminder's time plus the rest (a
    message arriving in the chat meanwhile does not put it off).
    """
    s = uow.session
    rows = s.scalars(select(Conversation).where(Conversation.flow == FLOW,
                                                Conversation.state.in_(PENDING_STATES))).all()
    sent = 0
    for conv in rows:
        v: dict[str, Any] = ((conv.data or {}).get("flow") or {}).get("v") or {}
        if v.get("severity") != Severity.EMERGENCY.value or not v.get("child_id") or v.get("merge"):
            continue
        key = f"incident_unsent:{conv.id}:{conv.version}"
        reminded = s.scalar(select(OutboxMessage.created_at).where(OutboxMessage.key == f"{key}:reporter"))
        if reminded is None and conv.updated_at > now - REMIND_AFTER:
            continue
        if reminded is not None and (reminded > now - (ADMINS_AFTER - REMIND_AFTER)
                                     or s.scalar(select(OutboxMessage.id).where(
                                         OutboxMessage.key.startswith(f"{key}:admin:"))) is not None):
            continue
        account = s.scalar(select(ChatAccount).where(ChatAccount.channel == conv.channel,
                                                     ChatAccount.account_id == conv.account_id))
        child = s.get(Child, int(v["child_id"]))
        reporter = s.get(Person, account.person_id) if account is not None else None
        if account is None or child is None or reporter is None:
            continue
        klass = s.get(SchoolClass, child.class_id) if child.class_id else None
        params = {"child": text(child.name), "class_name": text(klass.name if klass else "—"),
                  "kind": msg(KIND_LABELS.get(str(v.get("kind")), N_("other incident")))}
        if reminded is None:
            enqueue(s, key=f"{key}:reporter", person_id=reporter.id, priority=Priority.URGENT, now=now,
                    to_channel=conv.channel, to_account=conv.account_id, child_id=child.id,
                    prompt=Prompt(N_("Your emergency report about {child} ({class_name}), {kind}, has NOT been "
                                     "sent: nobody has been told yet. Answer the question above with “Report now” "
                                     "to send it, or phone the school's leaders."), params,
                                  kind=PromptKind.INCIDENT_NOTICE))
            log.warning("conversation %s: an emergency report unsent since %s, reporter reminded", conv.id,
                        conv.updated_at)
            sent += 1
            continue
        gone = draft_kept_away(uow, v)
        admins = [q for q in (leader_ids(uow, child.school_id) if is_safeguarding(str(v.get("kind")))
                              else people_with_roles(uow, child.school_id, ADMIN_ROLES)) if q not in gone] \
            or [q for q, _role in stand_ins(uow, child.school_id, gone)]
        told = dict(params, reporter=text(reporter.name), since=dt(min(conv.updated_at, reminded - REMIND_AFTER)),
                    phone=phone_param(reporter.phone) if reporter.phone else msg(N_("no phone number on record")))
        for to in (q for q in admins if q != reporter.id):
            enqueue(s, key=f"{key}:admin:{to}", person_id=to, priority=Priority.URGENT, now=now, child_id=child.id,
                    prompt=Prompt(N_("{reporter} began an emergency report about {child} ({class_name}), {kind}, and "
                                     "has left it unsent since {since}: nobody in the contact chain has been told. "
                                     "Please phone {reporter} now: {phone}."), told, kind=PromptKind.INCIDENT_NOTICE))
            sent += 1
        log.warning("conversation %s: an emergency report still unsent, %s admins told", conv.id, len(admins))
    return sent


def draft_kept_away(uow: UnitOfWork, v: dict[str, Any]) -> set[int]:
    """Who a report not sent yet must never be told of: the one rule (:func:`kept_away_from`) on the draft.

    Those left out with a reason typed, the one picked to be left out whose reason is still being typed (the
    accused principal is never told first: fix9s), and a safeguarding report's family.
    """
    picked = [*v.get("left_out", {}), *([v["leaving_out"]] if v.get("leaving_out") is not None else [])]
    return kept_away_from(uow, kind=str(v.get("kind")), child_id=int(v["child_id"]), left_out=picked)
