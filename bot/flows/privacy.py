"""/privacy (隐私): the privacy notice, a guardian's consent, and its withdrawal (PIPL art. 31).

A guardian or parent who binds is shown the notice and asked once, with one
tap, whether they agree for their children whose consent is still pending
(:func:`after_bind`). ``/privacy`` shows the notice again with each child's
status and the person's choices: agree (children not granted), withdraw
(children granted). Withdrawing is confirmed with a typed-only "Withdraw"
(never a bare number). Staff see the notice, and admins the school's consent
rate. See docs/privacy.md and docs/flows/privacy.md.
"""

from __future__ import annotations

import logging
from enum import StrEnum
from typing import Any

from bot.domain.enums import ADMIN_ROLES
from bot.domain.privacy import CHECKIN_MONTHS, NOTICE_VERSION, YEARS_AFTER_LEAVING, ConsentDecision, ConsentStatus
from bot.flows.common import Ctx, Option, say
from bot.messages.prompt import N_, Prompt, dt, msg, plural, text
from bot.services import consent
from bot.services.consent import FamilyChild
from bot.services.consent_report import CONSENT_STATUS_LABELS

log = logging.getLogger(__name__)
FLOW = "privacy"


class State(StrEnum):
    """The questions of the privacy flow."""

    ASK = "ask"  # agree / decline (after binding, or from /privacy)
    MENU = "menu"  # /privacy: agree and/or withdraw
    WITHDRAW = "withdraw"  # withdraw: typed-only confirmation


NOTICE = N_("Privacy notice (version {version})")
NOTICE_WHAT = N_("What is kept: the child's name and class from the school's register. With your agreement also the "
                 "teachers' talk records (mood, study, daily life, notes), your answers to the weekly check-in, and "
                 "the follow-up tasks they lead to.")
NOTICE_WHY = N_("Why: so the school can carry out its care programme for left-behind children and reach you quickly.")
NOTICE_WHO = N_("Who sees it: the child's class teacher, helper teacher and caring-parent volunteer, the school's "
                "leaders and safeguarding lead. Nobody else, and never for advertising.")
NOTICE_HOW_LONG = N_("How long: talk records until the child leaves the school plus {years} years; check-in answers "
                     "and tasks for {months} months. Then they are deleted.")
NOTICE_EMERGENCY = N_("Emergencies: if the child is hurt or missing, the school tells you and its contact chain "
                      "whatever you answer, to protect the child.")
NOTICE_CHOICES = N_("You can change your mind at any time with /privacy (隐私). If you withdraw, messages about the "
                    "child stop and the records are deleted, except what an open incident or the law needs.")
NOTICE_CONTACT = N_("Questions: {contact}.")
ASK = N_("Do you agree that the school keeps and uses these records about {children}?")
AGREE = N_("Agree")
DECLINE = N_("Decline")
WITHDRAW = N_("Withdraw consent")
KEEP = N_("Keep my consent")
CLOSE = N_("Close")
AGREED = N_("Thank you. Your consent for {children} is recorded ({when}). You can withdraw it with /privacy.")
DECLINED = N_("Your answer is recorded: only the name and class of {children} are kept, and there will be no "
              "check-ins. The school has been told. You can agree later with /privacy.")
CONFIRM_WITHDRAW = N_("Withdraw your consent for {children}? Messages about the child stop now and the records are "
                      "deleted within a day, except what an open incident needs.")
WITHDRAWN = N_("Your consent for {children} is withdrawn. Messages about the child have stopped and the records "
               "will be deleted. The school has been told.")
KEPT = N_("Nothing was changed.")
STATUS_LINE = N_("· {child}: {status}")
STATUS_LABELS = {**CONSENT_STATUS_LABELS, ConsentStatus.GRANTED: N_("you agreed")}
YOUR_CHILDREN = N_("Your children:")


def _names(children: list[FamilyChild]) -> list[dict[str, Any]]:
    return [text(c.name) for c in children]


def notice(ctx: Ctx) -> Prompt:
    """The privacy notice in the reader's language, with the school's designated contact."""
    actor = ctx.bound()
    lines: tuple[tuple[str, dict[str, Any]], ...] = (
        (NOTICE_WHAT, {}), (NOTICE_WHY, {}), (NOTICE_WHO, {}),
        (NOTICE_HOW_LONG, {"years": YEARS_AFTER_LEAVING, "months": CHECKIN_MONTHS}),
        (NOTICE_EMERGENCY, {}), (NOTICE_CHOICES, {}),
        (NOTICE_CONTACT, {"contact": consent.contact(ctx.uow, actor.school_id)}),
    )
    return Prompt(NOTICE, {"version": NOTICE_VERSION}, lines=lines)


def after_bind(ctx: Ctx) -> list[Prompt]:
    """The notice and the one-tap question for a guardian's or parent's children still pending; else nothing."""
    pending = [c for c in consent.family_children(ctx.uow, ctx.bound().person_id) if c.status is ConsentStatus.PENDING]
    if not pending:
        return []
    ctx.values.update(children=[c.id for c in pending])
    return [notice(ctx), _ask(ctx, State.ASK, ASK, pending, (Option(AGREE, "agree"), Option(DECLINE, "decline")))]


def _ask(ctx: Ctx, state: State, message_id: str, children: list[FamilyChild], options: tuple[Option, ...]) -> Prompt:
    return ctx.ask(FLOW, state, message_id, {"children": _names(children)}, options=options)


def command(ctx: Ctx, _arg: str) -> list[Prompt]:
    """``/privacy``: the notice, the person's children and their status, and what they can choose."""
    actor = ctx.bound()
    prompts = [notice(ctx)]
    children = consent.family_children(ctx.uow, actor.person_id)
    if ADMIN_ROLES & actor.roles:
        granted, total = consent.rate(ctx.uow, actor.school_id)
        percent = round(100 * granted / total) if total else 0
        prompts.append(Prompt(*plural("Consent recorded for {granted} of {total} child of the school ({percent}%).",
                                      "Consent recorded for {granted} of {total} children of the school ({percent}%).",
                                      total, granted=granted, total=total, percent=percent)))
    if not children:
        ctx.finish()
        return prompts
    lines = tuple((STATUS_LINE, {"child": text(c.name), "status": msg(STATUS_LABELS[c.status])}) for c in children)
    options = []
    if any(c.status is not ConsentStatus.GRANTED for c in children):
        options.append(Option(AGREE, "agree"))
    if any(c.status is ConsentStatus.GRANTED for c in children):
        options.append(Option(WITHDRAW, "withdraw"))
    options.append(Option(CLOSE, "close"))
    ctx.conv.data["v"] = {"children": [c.id for c in children]}
    return [*prompts, ctx.ask(FLOW, State.MENU, YOUR_CHILDREN, options=options, lines=lines)]


def on_choice(ctx: Ctx, value: str) -> list[Prompt]:
    """An answer to the notice's question, the /privacy menu, or the withdrawal's confirmation."""
    actor = ctx.bound()
    # Re-read the person's children: a relation may have ended since the question was asked.
    mine = {c.id: c for c in consent.family_children(ctx.uow, actor.person_id)}
    asked = [mine[i] for i in ctx.values.get("children", []) if i in mine]
    state = ctx.conv.state
    if value == "agree":
        todo = [c for c in asked if c.status is not ConsentStatus.GRANTED]
        ctx.finish()
        if todo:
            consent.record(ctx.uow, child_ids=[c.id for c in todo], decision=ConsentDecision.GRANTED,
                           channel=ctx.channel, now=ctx.now, person_id=actor.person_id)
        return [say(AGREED, children=_names(todo or asked), when=dt(ctx.now))]
    if value == "decline" and state == State.ASK:
        todo = [c for c in asked if c.status is ConsentStatus.PENDING]
        ctx.finish()
        if todo:
            consent.record(ctx.uow, child_ids=[c.id for c in todo], decision=ConsentDecision.DECLINED,
                           channel=ctx.channel, now=ctx.now, person_id=actor.person_id)
        return [say(DECLINED, children=_names(todo or asked))]
    if value == "withdraw" and state == State.MENU:
        granted = [c for c in asked if c.status is ConsentStatus.GRANTED]
        if not granted:
            ctx.finish()
            return [say(KEPT)]
        return [_ask(ctx, State.WITHDRAW, CONFIRM_WITHDRAW, granted,
                     (Option(WITHDRAW, "withdraw_yes", typed=True), Option(KEEP, "keep")))]
    if value == "withdraw_yes" and state == State.WITHDRAW:
        granted = [c for c in asked if c.status is ConsentStatus.GRANTED]
        ctx.finish()
        if granted:
            consent.record(ctx.uow, child_ids=[c.id for c in granted], decision=ConsentDecision.WITHDRAWN,
                           channel=ctx.channel, now=ctx.now, person_id=actor.person_id)
        return [say(WITHDRAWN, children=_names(granted or asked))]
    ctx.finish()
    return [say(KEPT)]


def on_text(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """Typed text is not an answer here (the runner asks again)."""
    return None


COMMANDS = {"privacy": command}
