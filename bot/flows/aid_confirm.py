"""Aid recorded in chat is shown whole and confirmed before it is saved, with who gave it (fix6ad, issue 9 item 3).

A trial: ``/aid 杨秀云`` saved the aid the moment its date was typed — no look at what was written, and no
发放人 asked (the ledger's "given by", :data:`bot.services.aid.LEDGER_HEADER`). Now the last step shows what
will be saved — date, kind, amount or items, source, given by — with Save, "Change who gave it" and Cancel.
Given by is the person entering it unless they name someone else (a colleague handed the goods over, "Change
who gave it"). Cancel saves nothing. See docs/flows/plan.md.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from bot.domain.enums import AidKind
from bot.flows.common import Ctx, Option, say
from bot.messages.prompt import N_, Prompt, day, msg, text
from bot.services.aid import KIND_LABELS

FLOW = "aid"
CONFIRM, GIVEN_BY = "confirm", "given_by"
SAVE = Option(N_("Save"), "save")
CHANGE_GIVER = Option(N_("Change who gave it"), "giver")
CANCEL = Option(N_("Cancel"), "cancel")
MAX_GIVER = 50
"""A name, not a note: longer words at the question are asked again."""


def ask(ctx: Ctx) -> Prompt:
    """"Save this aid for 杨秀云?" with every field that will be saved."""
    v = ctx.values
    kind = AidKind(v.get("kind", AidKind.OTHER.value))
    what = f"¥{v['amount']}" if v.get("amount") else (v.get("items") or "—")
    lines = (
        (N_("Date: {value}"), {"value": day(date.fromisoformat(v["when"]))}),
        (N_("Kind of aid: {value}"), {"value": msg(KIND_LABELS.get(kind, N_("other aid")))}),
        (N_("Amount or items: {value}"), {"value": text(what)}),
        (N_("Source: {value}"), {"value": text(v.get("source") or "—")}),
        (N_("Given by: {value}"), {"value": text(v.get("given_by") or ctx.bound().name)}),
    )
    return ctx.ask(FLOW, CONFIRM, N_("Save this aid for {child}?"), {"child": text(v.get("child_name", ""))},
                   options=(SAVE, CHANGE_GIVER, CANCEL), lines=lines)


def on_confirm(ctx: Ctx, value: str, record: Callable[[Ctx], list[Prompt]],
               ledger: Callable[[Ctx, int, str], list[Prompt]]) -> list[Prompt]:
    """Save, change who gave it, or cancel (nothing saved; the ledger again)."""
    if value == SAVE.value:
        return record(ctx)
    if value == CHANGE_GIVER.value:
        return [ctx.ask(FLOW, GIVEN_BY, N_("Who gave it? Type the name (e.g. 李老师)."), prose=True)]
    return [say(N_("Cancelled: no aid was recorded.")),
            *ledger(ctx, int(ctx.values.get("child_id", 0)), str(ctx.values.get("child_name", "")))]


def on_giver(ctx: Ctx, typed: str) -> list[Prompt]:
    """The name of who gave it: the confirmation again, naming them."""
    name = " ".join(typed.split())
    if not name or len(name) > MAX_GIVER:
        return [say(N_("Please type a name (at most {limit} characters)."), limit=MAX_GIVER),
                ctx.current_prompt() or ask(ctx)]
    ctx.values["given_by"] = None if name == ctx.bound().name else name
    return [ask(ctx)]
