"""A family member's words while alerts about two of her children wait: to the incident of the child named (fix6x).

李雪 is alerted that 刘婷婷 is not back after school, then that 刘帅 is not at the bus stop, and writes
``Tingting is with me, Shuai is not`` (or ``婷婷在我这，帅帅不在``). One question at a time would file all of it on
the alert shown (婷婷's) and leave 刘帅's reporter with nothing, his alert "still waiting". Instead, while alerts
about different children wait in the chat (shown or queued):

* words naming one of those children acknowledge that child's alert, its reporter reading them;
* words naming several (or "both", ``两个孩子``) acknowledge each of their alerts, each reporter reading them;
* words naming none ask which child, each numbered with the time its incident was reported (and "Both"); the
  words are kept, never lost, and the answer files them. A pure acknowledgement (收到, ok) asks nothing: it
  acknowledges every alert sent to her chat, never one not delivered yet (:mod:`bot.flows.reached`, fix6aa).
"""

from __future__ import annotations

from bot.domain import child_mentions
from bot.flows import agenda as agenda_flow
from bot.flows import family_notes, relay
from bot.flows import typed as typed_answers
from bot.flows import words as everyday
from bot.flows.alert_notice import answered, notice
from bot.flows.common import INVALID_BUTTON, Ctx, Option, say
from bot.messages import payloads
from bot.messages.prompt import N_, Prompt, dt, text
from bot.services import family_messages, incident_replies

FLOW = "alert_which"
PICK = "pick"
WHICH = N_("Which child are your words “{words}” about? Alerts about {children} are waiting for your answer.")
CHILD_AT = N_("{name} (reported at {at})")
BOTH = Option(N_("Both"), "all")


def _by_child(ctx: Ctx, incident_ids: list[int]) -> dict[int, list[int]]:
    """The alerts waiting, by the child they are about (child id → incident ids)."""
    found: dict[int, list[int]] = {}
    for incident_id in incident_ids:
        child_id = incident_replies.child_of(ctx.uow, incident_id)
        if child_id is not None:
            found.setdefault(child_id, []).append(incident_id)
    return found


def at_alerts(ctx: Ctx, typed: str, waiting: list[int]) -> list[Prompt] | None:
    """Free words while alerts about two or more of the writer's children wait; None: the usual path.

    Args:
        ctx: the update.
        typed: the words (neither a command nor a number).
        waiting: every alert waiting in this chat, shown or queued.
    """
    if everyday.is_acknowledgement(ctx.locale, typed) or everyday.says_nothing(typed):
        return None
    children = family_messages.family_children(ctx.uow, ctx.bound().person_id)
    # Her own children only: a principal alerted about two pupils is no family writing about them.
    by_child = {c: ids for c, ids in _by_child(ctx, waiting).items() if c in {k.id for k in children}}
    if len(by_child) < 2:
        return None
    named = child_mentions.named(typed, [(c.id, c.name) for c in children])
    about = [c for c in named if c in by_child]
    if named and not about:
        return None  # words about another child of hers, with no alert: passed on as such (fix6q)
    if not about and child_mentions.about_all(typed):
        about = list(by_child)
    if about:
        done = acknowledge(ctx, [i for c in about for i in by_child[c]], typed)
        top = agenda_flow.current(ctx)  # the alert shown, about the other child, is still to be answered
        return [*done, Prompt(agenda_flow.STILL_WAITING), Prompt.from_dict(top["prompt"])] \
            if top is not None and top["kind"] == "offer" else done
    names = {c.id: c.name for c in children}
    ctx.conv.data["v"] = {"words": typed, "ids": waiting}
    options = [Option(CHILD_AT, payloads.child_value(child_id),
                      {"name": text(names.get(child_id, "")), "at": _at(ctx, ids[0])})
               for child_id, ids in by_child.items()]
    return [ctx.ask(FLOW, PICK, WHICH, {"words": text(typed), "children": [text(names.get(c, "")) for c in by_child]},
                    options=[*options, BOTH], free_text=True)]


def _at(ctx: Ctx, incident_id: int) -> dict[str, str]:
    reported = incident_replies.reported_at(ctx.uow, incident_id)
    return dt(reported) if reported is not None else text("")


def acknowledge(ctx: Ctx, incident_ids: list[int], words: str) -> list[Prompt]:
    """Each alert acknowledged with ``words``, its reporter (and the class teacher) reading them."""
    out: list[Prompt] = []
    for incident_id in incident_ids:
        done = incident_replies.acknowledge_reply(ctx.uow, person_id=ctx.bound().person_id, words=words,
                                                 now=ctx.now, only=[incident_id])
        if done.acknowledged:
            answered(ctx, done.acknowledged)
            out.append(notice(ctx, done))
    if not out:  # closed or acknowledged meanwhile: the words still reach the child's teacher
        child_id = incident_replies.child_of(ctx.uow, incident_ids[0]) if incident_ids else None
        return [relay.about_child(ctx, child_id, words)] if child_id is not None else [say(INVALID_BUTTON)]
    return out


def _picked(ctx: Ctx, value: str) -> list[Prompt]:
    ids = [int(i) for i in ctx.values.get("ids") or ()]
    words = str(ctx.values.get("words") or "")
    by_child = _by_child(ctx, ids)
    child_id = payloads.decode_child_value(value)
    if value != BOTH.value and child_id not in by_child:
        return [say(INVALID_BUTTON)]
    ctx.finish()
    picked = [i for c, found in by_child.items() if value == BOTH.value or c == child_id for i in found]
    return acknowledge(ctx, picked, words)


def on_choice(ctx: Ctx, value: str) -> list[Prompt]:
    """A child (or "Both") picked for the words kept."""
    return _picked(ctx, value)


def on_text(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """A number, a child's name or "both" typed at "which child?"; other words are added to those kept."""
    prompt = ctx.current_prompt()
    choices = [c for c in (prompt.choices if prompt else ()) if not c.typed]
    number = typed_answers.number(typed)
    if number is not None and 1 <= number <= len(choices):
        pressed = payloads.decode(choices[number - 1].payload)
        return _picked(ctx, pressed.value) if isinstance(pressed, payloads.FlowChoice) else [say(INVALID_BUTTON)]
    ids = [int(i) for i in ctx.values.get("ids") or ()]
    by_child = _by_child(ctx, ids)
    children = family_messages.family_children(ctx.uow, ctx.bound().person_id)
    named = [c for c in child_mentions.named(typed, [(c.id, c.name) for c in children]) if c in by_child]
    if len(named) == 1:
        return _picked(ctx, payloads.child_value(named[0]))
    if named or child_mentions.about_all(typed):
        return _picked(ctx, BOTH.value)
    if number is not None:
        return None
    ctx.conv.data.setdefault("v", {})["words"] = f"{ctx.values.get('words') or ''}\n{typed.strip()}".strip()
    return [say(family_notes.ADDED), *([prompt] if prompt is not None else [])]
