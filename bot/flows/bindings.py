"""``/me`` (我的) with the person's linked accounts, ``/unbind NAME`` (解绑) for admins, and ``bc:`` answers.

``/me`` shows the person's details and every linked chat account (channel,
"this chat", bound at, last used, awaiting confirmation) with one choice,
"Remove a linked account": pick one → confirm (naming the channel and the
bound date) → removed. ``/unbind NAME`` lets a school admin or leader remove
one or all accounts of a person of their own school, confirmed the same way.
A bare number never removes anything: the last step is a confirmation whose
"Unlink" is typed-only (its button or its word, ``Choice.typed``, as closing an
incident), and whose buttons belong to that question only. See docs/bindings.md.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.enums import ADMIN_ROLES
from bot.domain.figures import Level, suppressed_count
from bot.flows.common import CANCELLED, INVALID_BUTTON, Ctx, Option, say
from bot.i18n import normalise_locale
from bot.messages import payloads
from bot.messages.labels import ROLE_LABELS
from bot.messages.prompt import N_, Choice, Prompt, day, dt, msg, text
from bot.services import access, binding_probation, bindings, identity, oversight
from bot.services.access import Purpose
from bot.services.bindings import Binding, RemovedBy, channel_label

log = logging.getLogger(__name__)
FLOW = "bindings"


class State(StrEnum):
    """The questions of ``/me`` (remove one of my accounts) and ``/unbind`` (an admin's)."""

    MENU = "menu"  # /me shown, "remove a linked account" offered
    PICK = "pick"  # which of my accounts
    CONFIRM = "confirm"  # remove mine: yes / keep
    PERSON = "person"  # /unbind: which of several people, or the name
    ADMIN_PICK = "admin_pick"  # /unbind: which account (or all)
    ADMIN_CONFIRM = "admin_confirm"


DETAILS = N_("Your details:")
LINKED_ACCOUNTS = N_("Linked accounts:")
LINE_USED = N_("· {channel}: linked {bound}, last used {used}")
LINE_UNUSED = N_("· {channel}: linked {bound}, not used yet")
LINE_PENDING = N_("· {channel}: linked {bound}, awaiting the school's confirmation")
LINE_PROBATION = N_("· {channel}: linked {bound}, waiting for your \"It was me\" or the school's confirmation")
THIS_CHAT = N_("{channel} (this chat)")
LINKED_ON = N_("{channel} (linked {day})")
REMOVE = N_("Remove a linked account")
WHICH = N_("Which account should be unlinked?")
CONFIRM_OTHER = N_("Unlink the {channel} account linked on {bound}? It will no longer receive any of your messages.")
CONFIRM_THIS = N_("Unlink the {channel} account (this chat) linked on {bound}? It will no longer receive any of "
                  "your messages.")
UNLINK = N_("Unlink")
KEEP = N_("Keep")
CANCEL = N_("Cancel")
DONE_OTHER = N_("Unlinked: the {channel} account (linked {bound}).")
NOT_TOLD = N_("That {channel} account could not be told: WeChat lets the school write to it only within 48 hours "
              "of its last message, and no notice template is set up. If someone else uses that phone, please "
              "tell them yourself.")
DONE_THIS = N_("This chat is no longer linked to you. To link it again, ask the school for a new invite code.")
KEPT = N_("Nothing was changed.")
ADMIN_ONLY = N_("Only school admins can unlink someone else's accounts.")
ASK_NAME = N_("Whose accounts should be unlinked? Send the name.")
NO_SUCH_PERSON = N_("Nobody called \"{name}\" at this school.")
WHICH_PERSON = N_("Several people are called {name}. Which one?")
PERSON_OPTION = N_("{name} ({roles}), phone {phone}")
NO_PHONE = N_("no phone")
NO_ACCOUNTS = N_("{name} has no linked account.")
ADMIN_WHICH = N_("Accounts linked to {name} ({roles}): which one should be unlinked?")
ALL_ACCOUNTS = N_("All accounts")
ADMIN_CONFIRM = N_("Unlink the {channel} account {name} linked on {bound}?")
ADMIN_CONFIRM_ALL = N_("Unlink all {count} accounts of {name}? They will get no messages until they link an "
                       "account again.")
ADMIN_DONE = N_("Unlinked {name}'s {channel} account (linked {bound}).")
ADMIN_DONE_ALL = N_("Unlinked all accounts of {name} ({count}).")
GONE = N_("That account is no longer linked.")
PENDING = N_("Your account is waiting for the school's confirmation; you can use it once it is confirmed.")
CONFIRM_ANSWERS = (Option(UNLINK, "yes", typed=True), Option(KEEP, "no"))  # unlinking: never a bare number


def is_pending(ctx: Ctx) -> bool:
    """Whether this chat is bound but waits for the school's confirmation (it gets :data:`PENDING`)."""
    return bindings.is_pending(ctx.uow, channel=ctx.channel, account_id=ctx.account_id)


def pending_prompt(ctx: Ctx) -> Prompt | None:
    """What a chat waiting for confirmation hears (probation: confirm from the other account); None: not waiting."""
    if not is_pending(ctx):
        return None
    return say(binding_probation.PROBATION_WAITING if binding_probation.chat_on_probation(
        ctx.uow, channel=ctx.channel, account_id=ctx.account_id) else PENDING)


def probation_greeting(ctx: Ctx, actor: identity.Actor, note: Prompt | None) -> Prompt:
    """The greeting of an account on probation: whose it is, the accounts that confirm it, and that it waits."""
    accounts = note.params.get("accounts", []) if note is not None else []
    if not accounts:  # bound again with the code (a second scan): name them as the first greeting did
        accounts = binding_probation.confirming_accounts(ctx.uow, actor.person_id, channel=ctx.channel,
                                                         account_id=ctx.account_id)
    if not accounts:  # none left to confirm from: the school's confirmation only, nothing to name
        return say(PENDING)
    return say(binding_probation.PROBATION_GREETING, name=text(actor.name), roles=bindings.role_labels(actor.roles),
               accounts=accounts)


def _current(ctx: Ctx, b: Binding) -> bool:
    return (b.channel, b.account_id) == (ctx.channel, ctx.account_id)


def _this_chat_first(ctx: Ctx, accounts: list[Binding]) -> list[Binding]:
    return sorted(accounts, key=lambda b: not _current(ctx, b))  # stable: then oldest binding first


def _line(ctx: Ctx, b: Binding) -> tuple[str, dict[str, Any]]:
    channel = msg(THIS_CHAT, channel=channel_label(b.channel)) if _current(ctx, b) else channel_label(b.channel)
    params: dict[str, Any] = {"channel": channel, "bound": dt(b.bound_at)}
    if b.pending:
        row_on_probation = binding_probation.chat_on_probation(ctx.uow, channel=b.channel, account_id=b.account_id)
        return (LINE_PROBATION if row_on_probation else LINE_PENDING), params
    if b.last_seen_at is None:
        return LINE_UNUSED, params
    return LINE_USED, {**params, "used": dt(b.last_seen_at)}


def _local_day(ctx: Ctx, when: datetime) -> Any:
    return day(when.astimezone(ZoneInfo(ctx.timezone)).date())


def _options(ctx: Ctx, accounts: list[Binding], *, mark_current: bool) -> list[Option]:
    """One option per account: "Telegram (this chat)" or "WeChat (linked 23 Nov)" (the time too for a same-day twin)."""
    days = [(b.channel, _local_day(ctx, b.bound_at)["v"]) for b in accounts]
    options = []
    for b, key in zip(accounts, days, strict=True):
        if mark_current and _current(ctx, b):
            options.append(Option(THIS_CHAT, f"a{b.id}", {"channel": channel_label(b.channel)}))
            continue
        when = dt(b.bound_at) if days.count(key) > 1 else _local_day(ctx, b.bound_at)
        options.append(Option(LINKED_ON, f"a{b.id}", {"channel": channel_label(b.channel), "day": when}))
    return options


def me(ctx: Ctx) -> list[Prompt]:
    """``/me``: name, roles, language, children in scope and every linked account, with "remove"."""
    actor = ctx.bound()
    children = access.find_children(ctx.uow, actor, purpose=Purpose.VIEW)
    language = "中文" if normalise_locale(ctx.locale) == "zh_Hans" else "English"
    lines: list[tuple[str, dict[str, Any]]] = [
        (N_("Name: {value}"), {"value": text(actor.name)}),
        (N_("Roles: {value}"), {"value": _roles(actor.roles)}),
        (N_("Language: {value}"), {"value": msg(language)}),
        *_care(ctx, len(children)),
        (LINKED_ACCOUNTS, {}),
    ]
    lines += [_line(ctx, b) for b in _this_chat_first(ctx, bindings.bindings_of(ctx.uow, actor.person_id))]
    if ctx.conv.flow == FLOW:
        ctx.finish()  # /me is information: its "remove" is an optional action, never a question that waits
    return [Prompt(DETAILS, lines=tuple(lines), choices=(Choice(REMOVE, payloads.UNLINK_MENU),))]


def _care(ctx: Ctx, count: int) -> list[tuple[str, dict[str, Any]]]:
    """The children in the person's care; for an official with none, the schools she oversees (issue 9)."""
    scope = oversight.oversight(ctx.uow, ctx.bound())
    if scope is None or count:
        return [(N_("Children in your care: {count}"), {"count": count})]
    schools = [text(n) for n in scope.school_names] or [msg(N_("none yet"))]
    shown = suppressed_count(scope.children, official=True)  # officials see counts under 5 as <5
    children: dict[str, Any] = {"count": "<5" if shown is None else shown}
    towns = oversight.towns_of(ctx.uow, scope.school_ids) if scope.level is Level.COUNTY else ()
    if scope.level is Level.COUNTY and len(towns) != 1:
        # Every school in the database, which has no name of its own: never "the whole county" (LOW-8).
        return [(N_("You oversee these schools ({count}): {schools}"), {"count": len(scope.school_ids),
                                                                        "schools": schools}),
                (N_("Children in them: {count}"), children)]
    if scope.town or towns:  # a town's 教育办 (镇教育办张科长) oversees that town's schools, as it is
        return [(N_("You oversee the schools of {town}: {schools}"),
                 {"town": text(scope.town or towns[0]), "schools": schools}),
                (N_("Children in them: {count}"), children)]
    return [(N_("You oversee: {schools}"), {"schools": schools}), (N_("Children in them: {count}"), children)]


def _pick_mine(ctx: Ctx) -> Prompt:
    """Which of my accounts to unlink (after "Remove a linked account")."""
    accounts = _this_chat_first(ctx, bindings.bindings_of(ctx.uow, ctx.bound().person_id))
    ctx.conv.data["v"] = {}
    return ctx.ask(FLOW, State.PICK, WHICH, options=[*_options(ctx, accounts, mark_current=True),
                                                     Option(CANCEL, "cancel")])


def unbind(ctx: Ctx, name: str) -> list[Prompt]:
    """``/unbind NAME`` (解绑): an admin removes a person's account(s)."""
    if not ctx.bound().roles & ADMIN_ROLES:
        ctx.finish()
        return [say(ADMIN_ONLY)]
    ctx.conv.data["v"] = {}
    if not name.strip():
        return [ctx.ask(FLOW, State.PERSON, ASK_NAME, free_text=True)]
    return _person_by_name(ctx, name.strip())


def _person_by_name(ctx: Ctx, name: str) -> list[Prompt]:
    people = bindings.people_in_school(ctx.uow, ctx.bound().school_id, name)
    if not people:
        ctx.finish()
        return [say(NO_SUCH_PERSON, name=text(name))]
    if len(people) > 1:
        options = [Option(PERSON_OPTION, f"p{p.id}", {
            "name": text(p.name), "roles": _roles(p.roles),
            "phone": text(p.masked_phone) if p.masked_phone else msg(NO_PHONE)}) for p in people]
        return [ctx.ask(FLOW, State.PERSON, WHICH_PERSON, {"name": text(name)}, options=options)]
    return _person_accounts(ctx, people[0].id)


def _roles(roles: tuple[str, ...] | frozenset[str]) -> list[dict[str, Any]]:
    return [msg(ROLE_LABELS[r]) for r in sorted(roles) if r in ROLE_LABELS] or [msg(N_("no role yet"))]


def _person_accounts(ctx: Ctx, person_id: int) -> list[Prompt]:
    person = identity.actor_of(ctx.uow, person_id)
    if person is None or person.school_id != ctx.bound().school_id:
        ctx.finish()
        return [say(GONE)]
    accounts = bindings.bindings_of(ctx.uow, person_id)
    if not accounts:
        ctx.finish()
        return [say(NO_ACCOUNTS, name=text(person.name))]
    ctx.values.update(person_id=person_id, person_name=person.name)
    options = [*_options(ctx, accounts, mark_current=False), Option(ALL_ACCOUNTS, "all"), Option(CANCEL, "cancel")]
    return [ctx.ask(FLOW, State.ADMIN_PICK, ADMIN_WHICH, {"name": text(person.name), "roles": _roles(person.roles)},
                    options=options)]


def _mine(ctx: Ctx, value: str) -> Binding | None:
    """The account of an option value ``a<id>``, if it (still) belongs to the person asking."""
    number = _value_id(value, "a")
    b = bindings.binding(ctx.uow, number) if number is not None else None
    return b if b is not None and b.person_id == ctx.bound().person_id else None


def _value_id(value: str, prefix: str) -> int | None:
    """The id in an option value such as ``a12`` / ``p7``, or None when malformed."""
    digits = value[len(prefix):]
    if not value.startswith(prefix) or not (digits.isascii() and digits.isdigit()) or len(digits) > 10:
        return None
    return int(digits)


def on_choice(ctx: Ctx, value: str) -> list[Prompt]:
    """An answer to one of this flow's questions."""
    actor = ctx.bound()
    state = State(ctx.conv.state or "")
    if value == "cancel":
        ctx.finish()
        return [say(CANCELLED)]
    if state is State.MENU:  # a conversation from before /me's choice was optional
        return [_pick_mine(ctx)]
    if state is State.PICK:
        b = _mine(ctx, value)
        if b is None:
            ctx.finish()
            return [say(GONE)]
        ctx.values["account"] = b.id
        question = CONFIRM_THIS if _current(ctx, b) else CONFIRM_OTHER
        return [ctx.ask(FLOW, State.CONFIRM, question, {"channel": channel_label(b.channel), "bound": dt(b.bound_at)},
                        options=CONFIRM_ANSWERS)]
    if state is State.CONFIRM:
        return _remove_mine(ctx, value)
    if not actor.roles & ADMIN_ROLES:  # roles may have changed since the question
        ctx.finish()
        return [say(ADMIN_ONLY)]
    if state is State.PERSON:
        person_id = _value_id(value, "p")
        return _person_accounts(ctx, person_id) if person_id is not None else [say(INVALID_BUTTON)]
    if state is State.ADMIN_PICK:
        return _admin_pick(ctx, value)
    return _admin_remove(ctx, value)


def on_text(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """The name asked for by ``/unbind`` without one; None in the other states."""
    if State(ctx.conv.state or "") is not State.PERSON or not ctx.conv.data.get("free_text"):
        return None
    if ctx.actor is None or not ctx.actor.roles & ADMIN_ROLES:
        ctx.finish()
        return [say(ADMIN_ONLY)]
    return _person_by_name(ctx, typed.strip())


def _remove_mine(ctx: Ctx, value: str) -> list[Prompt]:
    b = _mine(ctx, f"a{ctx.values.get('account')}")
    ctx.finish()
    if value != "yes":
        return [say(KEPT)]
    if b is None:
        return [say(GONE)]
    current = (ctx.channel, ctx.account_id)
    told = _current(ctx, b) or binding_probation.can_be_told_unlinked(ctx.uow, b.id, ctx.settings, ctx.now)
    bindings.remove(ctx.uow, binding_id=b.id, now=ctx.now, by=RemovedBy.SELF, current=current, tell_removed=told)
    log.info("person %s removed their binding %s (told: %s)", b.person_id, b.id, told)
    if _current(ctx, b):
        ctx.actor = None
        return [say(DONE_THIS)]
    done = say(DONE_OTHER, channel=channel_label(b.channel), bound=dt(b.bound_at))
    # Not told (WeChat's 48 hours, no template): whoever has that phone now hears it from the person or no one.
    return [done if told else replace(done, lines=((NOT_TOLD, {"channel": channel_label(b.channel)}),))]


def _admin_pick(ctx: Ctx, value: str) -> list[Prompt]:
    person_id = int(ctx.values.get("person_id", 0))
    name = text(str(ctx.values.get("person_name", "")))
    accounts = bindings.bindings_of(ctx.uow, person_id)
    if value == "all":
        if not accounts:
            ctx.finish()
            return [say(GONE)]
        ctx.values["account"] = "all"
        return [ctx.ask(FLOW, State.ADMIN_CONFIRM, ADMIN_CONFIRM_ALL, {"count": len(accounts), "name": name},
                        options=CONFIRM_ANSWERS)]
    b = next((a for a in accounts if f"a{a.id}" == value), None)
    if b is None:
        ctx.finish()
        return [say(GONE)]
    ctx.values["account"] = b.id
    return [ctx.ask(FLOW, State.ADMIN_CONFIRM, ADMIN_CONFIRM,
                    {"channel": channel_label(b.channel), "name": name, "bound": dt(b.bound_at)},
                    options=CONFIRM_ANSWERS)]


def _admin_remove(ctx: Ctx, value: str) -> list[Prompt]:
    admin = ctx.bound()
    person_id = int(ctx.values.get("person_id", 0))
    name = str(ctx.values.get("person_name", ""))
    target = ctx.values.get("account")
    ctx.finish()
    if value != "yes":
        return [say(KEPT)]
    person = identity.actor_of(ctx.uow, person_id)
    if person is None or person.school_id != admin.school_id:
        return [say(GONE)]
    current = (ctx.channel, ctx.account_id)
    one = bindings.binding(ctx.uow, int(target or 0)) if target != "all" else None
    chosen = (bindings.bindings_of(ctx.uow, person_id) if target == "all"
              else [one] if one is not None and one.person_id == person_id else [])
    if not chosen:
        return [say(GONE)]
    # WeChat outside 48 hours, no template: the account is not told (nothing parked for ever); with no account
    # left, nobody tells the person: the admin phones.
    untold = {b.id: line for b in chosen
              if (line := binding_probation.untold_line(ctx.uow, b.id, ctx.settings, ctx.now)) is not None}
    removed = [bindings.remove(ctx.uow, binding_id=b.id, now=ctx.now, by=RemovedBy.ADMIN, admin_name=admin.name,
                               current=current, tell_removed=b.id not in untold) for b in chosen]
    log.info("admin %s removed bindings %s of person %s (not told: %s)", admin.person_id, [b.id for b in chosen],
             person_id, sorted(untold))
    if target == "all":
        done = say(ADMIN_DONE_ALL, name=text(name), count=len([r for r in removed if r is not None]))
    else:
        done = say(ADMIN_DONE, name=text(name), channel=channel_label(chosen[0].channel), bound=dt(chosen[0].bound_at))
    if not untold or bindings.has_active_account(ctx.uow, person_id):
        return [done]  # an account they still have was told which one went
    return [replace(done, lines=tuple(untold.values()))]


def on_button(ctx: Ctx, pressed: payloads.BindingDecision | payloads.UnlinkMenu) -> list[Prompt]:
    """``me:unlink`` under ``/me`` (which account?), or an admin's decision on a pending binding."""
    if isinstance(pressed, payloads.UnlinkMenu):
        return [_pick_mine(ctx)]
    return on_decision(ctx, pressed.account_id, pressed.epoch, pressed.confirm)


def on_decision(ctx: Ctx, binding_id: int, epoch: int, confirm: bool) -> list[Prompt]:
    """An admin's "Confirm" / "Refuse" on a pending binding (``bc:<id>:<epoch>:<y|n>``)."""
    result = bindings.decide(ctx.uow, binding_id=binding_id, epoch=epoch, confirm=confirm, admin=ctx.actor,
                             now=ctx.now)
    log.info("binding %s decision by person %s: %s", binding_id, ctx.actor.person_id if ctx.actor else None,
             result.decision)
    return [bindings.decision_reply(result)]
