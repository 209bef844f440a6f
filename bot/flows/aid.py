"""``/aid 张三`` (资助): a child's aid ledger, and recording aid given — kind, amount or items, source, date.

For the child's class teacher and the school's admins and leaders (the
others get the same answer as an unknown name). A child who left the school:
her admins and leaders read the ledger, marked "Left school (date)" as the card
is, and nobody adds to it. Aid of the same kind and amount for the child on the
same day asks before it is saved again (a double entry is the likelier slip).
See docs/flows/plan.md.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from bot.domain.enums import AidKind
from bot.domain.periods import local_date
from bot.domain.privacy import AuditAction
from bot.flows import aid_confirm, pick
from bot.flows.common import Ctx, Option, audit_child, say, text_problem
from bot.messages import payloads
from bot.messages.prompt import N_, Prompt, day, msg, text
from bot.services import aid, left_school
from bot.services.access import Purpose
from bot.services.aid import KIND_LABELS

FLOW = "aid"


class State(StrEnum):
    """The flow's states."""

    WHICH = "which"
    LEDGER = "ledger"
    KIND = "kind"
    WHAT = "what"
    SOURCE = "source"
    DATE = "date"
    SAME = "same"  # the same aid is already recorded for that day: record it again?
    CONFIRM = "confirm"  # what will be saved, given by whom: save? (fix6ad)
    GIVEN_BY = "given_by"  # who handed it over, when not the person entering it


RECORD = Option(N_("Record aid given"), "record")
SKIP = Option(N_("Skip"), "skip")
TODAY = Option(N_("Today"), "today")
# Not again first: a bare 1 typed by habit keeps the ledger as it is.
NOT_AGAIN = Option(N_("No, don't record it again"), "not_again")
AGAIN = Option(N_("Yes, record it again"), "again")
BAD_CASH = N_("Cash aid is recorded as an amount in yuan: more than 0, at most 2 decimals, e.g. 500 or 500.5.")
BAD_AMOUNT = N_("An amount is a number of yuan: more than 0, at most 2 decimals, e.g. 500 or 500.5. "
                "Or write the items given.")
NOT_FOUND = N_("I couldn't find a child called {name} whose aid records you may see.")


RECORD_KEYS = ("kind", "amount", "items", "source", "when", "again", "given_by")
"""What one aid record's questions fill in; cleared when the next record starts."""


def start(ctx: Ctx, name: str) -> list[Prompt]:
    """``/aid NAME``: the ledger with "Record aid given"."""
    if not name:
        return [say(N_("Please add the child's name, e.g. /aid 张三"))]
    left = left_school.find(ctx.uow, ctx.bound(), name, talks=False)
    found = pick.by_name(ctx, name, Purpose.VIEW) + left
    if len(found) > 1:
        return [ctx.ask(FLOW, State.WHICH, pick.WHICH_ONE, {"count": len(found), "name": text(name.strip())},
                        options=pick.options_with_left(ctx, found, left), free_text=True)]
    return _ledger(ctx, found[0].id, found[0].name) if found else [say(NOT_FOUND, name=text(name.strip()))]


def _ledger(ctx: Ctx, child_id: int, child_name: str) -> list[Prompt]:
    rows = aid.ledger(ctx.uow, ctx.bound(), child_id)
    if rows is None:
        ctx.finish()
        return [say(NOT_FOUND, name=text(child_name))]
    audit_child(ctx, AuditAction.VIEW_AID, child_id)
    ctx.values.update(child_id=child_id, child_name=child_name)
    lines = tuple(ledger_line(r) for r in rows) or ((N_("No aid recorded yet."), {}),)
    left = pick.left_mark(ctx, child_id)
    if left is not None and left_school.left(ctx.uow, child_id, ctx.timezone)[1] is None:
        # history, read only: marked at the top as the card is; with no leaving day no aid can be dated before it
        ctx.finish()
        return [Prompt(N_("{left}\nAid given to {child}:"), {"left": left, "child": text(child_name)}, lines=lines)]
    if left is not None:  # aid given before the child left may still be recorded (issue 9)
        ctx.conv.data["steps"] = 0
        return [ctx.ask(FLOW, State.LEDGER, N_("{left}\nAid given to {child}:"),
                        {"left": left, "child": text(child_name)}, options=(RECORD,), lines=lines)]
    ctx.conv.data["steps"] = 0  # the ledger is a resting point: nothing unsaved, a command replaces it unasked
    return [ctx.ask(FLOW, State.LEDGER, N_("Aid given to {child}:"), {"child": text(child_name)},
                    options=(RECORD,), lines=lines)]


def ledger_line(r: aid.AidRow) -> tuple[str, dict[str, Any]]:
    """One ledger line: date, kind, amount or items, source, given by."""
    params = {"date": day(r.given_on), "kind": msg(KIND_LABELS.get(AidKind(r.kind), N_("other aid"))),
              "what": text(f"¥{r.amount}" if r.amount is not None else (r.items or "—")),
              "source": text(r.source or "—"), "by": text(r.given_by or "—")}
    return N_("• {date} {kind}: {what} — from {source}, given by {by}"), params


def on_choice(ctx: Ctx, value: str) -> list[Prompt]:
    """Namesake, Record, a kind, Skip (source), Today."""
    state = State(ctx.conv.state or State.LEDGER)
    if state is State.WHICH:
        picked = (pick.by_choice(ctx, value, Purpose.VIEW)
                  or left_school.by_id(ctx.uow, ctx.bound(), payloads.decode_child_value(value) or 0, talks=False))
        return _ledger(ctx, picked.id, picked.name) if picked else [say(NOT_FOUND, name=text("?"))]
    if state is State.LEDGER:
        # A new record starts blank: 发放人 李干事 typed for the last one was saved again on the next (trial9).
        for key in RECORD_KEYS:
            ctx.values.pop(key, None)
        return [ctx.ask(FLOW, State.KIND, N_("What kind of aid did {child} get?"),
                        {"child": text(ctx.values.get("child_name", ""))},
                        options=[Option(label, kind.value) for kind, label in KIND_LABELS.items()])]
    if state is State.KIND:
        ctx.values["kind"] = value
        return [_ask_what(ctx)]
    if state is State.SOURCE:
        ctx.values["source"] = None
        return [_ask_date(ctx)]
    if state is State.SAME:
        if value != AGAIN.value:
            return [say(N_("Not recorded again.")), *_ledger(ctx, int(ctx.values.get("child_id", 0)),
                                                              ctx.values.get("child_name", ""))]
        ctx.values["again"] = True
        return _save(ctx, date.fromisoformat(ctx.values.get("when", "")))
    if state is State.CONFIRM:
        return aid_confirm.on_confirm(ctx, value, _record, _ledger)
    return _save(ctx, local_date(ctx.now, ctx.timezone))


def _ask_what(ctx: Ctx) -> Prompt:
    # Free text, not prose: prose refuses a bare number (the runner's rule for notes), and here ``500`` is
    # the answer, 500 yuan. Cash needs the amount; other aid may be an amount or the items.
    if ctx.values.get("kind") == AidKind.CASH.value:
        return ctx.ask(FLOW, State.WHAT, N_("The amount in yuan (e.g. 500):"), free_text=True)
    return ctx.ask(FLOW, State.WHAT, N_("The amount in yuan (e.g. 500), or the items given (e.g. 书包一个、文具一套):"),
                   free_text=True)


def _ask_date(ctx: Ctx) -> Prompt:
    return ctx.ask(FLOW, State.DATE, N_("When was it given? A date such as 11月20日, or:"), options=(TODAY,),
                   free_text=True)


def on_text(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """Amount or items, source, date."""
    from bot.flows.plan import typed_date

    state = State(ctx.conv.state or State.LEDGER)
    problem = text_problem(typed)
    if problem is not None and state in (State.WHAT, State.SOURCE):
        return [problem, *([p] if (p := ctx.current_prompt()) else [])]
    if state is State.WHAT:
        cash = ctx.values.get("kind") == AidKind.CASH.value
        try:
            amount = aid.typed_amount(typed)
        except ValueError:  # a number, but no amount of yuan (0, -50, 0.001, 1e3, NaN): never saved
            return [say(BAD_CASH if cash else BAD_AMOUNT), _ask_what(ctx)]
        if amount is not None:
            ctx.values.update(amount=str(amount), items=None)
        elif cash:  # words are no sum of cash: never saved as one
            return [say(N_("Cash aid is recorded as an amount in yuan, e.g. 500.")), _ask_what(ctx)]
        else:
            ctx.values.update(amount=None, items=" ".join(typed.split()))
        return [ctx.ask(FLOW, State.SOURCE, N_("Where does it come from (e.g. 县教育局, 爱心企业)?"), options=(SKIP,),
                        prose=True)]
    if state is State.SOURCE:
        ctx.values["source"] = " ".join(typed.split())[:200]
        return [_ask_date(ctx)]
    if state is State.GIVEN_BY:  # who gave it, when not the person entering it
        return aid_confirm.on_giver(ctx, typed)
    if state is State.DATE:
        today = local_date(ctx.now, ctx.timezone)
        # typed_date looks forward (a review); aid was given in the past: try last year's date too.
        when = typed_date(typed, today.replace(year=today.year - 1)) if today.month != 2 or today.day != 29 else None
        if when is None or when > today:
            return [say(N_("Please give a date up to today, such as 11月20日.")), _ask_date(ctx)]
        return _save(ctx, when)
    return None


def _save(ctx: Ctx, when: date) -> list[Prompt]:
    from decimal import Decimal

    v = ctx.values
    gone, left_on = left_school.left(ctx.uow, int(v.get("child_id", 0)), ctx.timezone)
    if gone and left_on is not None and when > left_on:
        return [say(N_("{child} left the school on {date}: no aid given after that can be recorded"),
                    child=text(v.get("child_name", "")), date=day(left_on)), _ask_date(ctx)]
    amount = Decimal(v["amount"]) if v.get("amount") else None
    kind = AidKind(v.get("kind", AidKind.OTHER.value))
    if not v.pop("again", False) and aid.same_recorded(ctx.uow, child_id=int(v.get("child_id", 0)), given_on=when,
                                                       kind=kind, amount=amount, items=v.get("items")):
        v["when"] = when.isoformat()
        return [ctx.ask(FLOW, State.SAME, N_("The same aid is already recorded. Record it again?"),
                        options=(NOT_AGAIN, AGAIN))]
    v["when"] = when.isoformat()
    return [aid_confirm.ask(ctx)]  # nothing is saved before the person has seen it all (fix6ad)


def _record(ctx: Ctx) -> list[Prompt]:
    """Save the aid confirmed: what :func:`bot.flows.aid_confirm.ask` showed, given by whom it named."""
    from decimal import Decimal

    v = ctx.values
    when = date.fromisoformat(v.get("when", ""))
    gone, left_on = left_school.left(ctx.uow, int(v.get("child_id", 0)), ctx.timezone)
    amount = Decimal(v["amount"]) if v.get("amount") else None
    giver = v.get("given_by") or None  # None: the person entering it (aid.record names them, with their id)
    saved = aid.record(ctx.uow, ctx.bound(), child_id=int(v.get("child_id", 0)), given_on=when,
                       kind=AidKind(v.get("kind", AidKind.OTHER.value)), amount=amount, items=v.get("items"),
                       source=v.get("source"), given_by=giver, now=ctx.now, left_on=left_on if gone else None)
    child_id, child_name = int(v.get("child_id", 0)), v.get("child_name", "")
    if saved is None:
        ctx.finish()
        return [say(NOT_FOUND, name=text(child_name))]
    audit_child(ctx, AuditAction.AID_RECORDED, child_id)
    return [say(N_("Aid recorded.")), *_ledger(ctx, child_id, child_name)]


COMMANDS = {"aid": start}
"""Command name (``bot.flows.commands.COMMANDS`` value) → handler."""
