"""An all clear that could be about more than one child: "which child?", never a guess (fix6b, issue 6).

A grandmother of two whose grandchildren both have an open incident writes
``she is fine now`` or ``找到了``; a grandfather of three writes
``两个孩子都没事了``. Passing the words as the all clear of a child picked by
guess could tell the parents far away that the wrong child is safe. The writer
is asked which child the words are about, each child with an open incident
named and numbered (with "All of them"); the answer passes the all clear on
(:mod:`bot.services.incident_all_clear`), and whatever question waited is asked
again afterwards. Further words typed at the question are added to the all
clear, never dropped; a typed name answers it.

Taken back (breaker3 D3): ``不对，孩子们都还没找到`` or ``还没找到`` typed at the question, or its "Take it back"
choice, withdraws the all clear: nothing is passed on as one, and the words go to the teachers as the family's
message (:func:`bot.flows.relay.about_child`). So do words of harm or an emergency (``婷婷在医院抢救``, ``婷婷被打了``,
fix6k D2), also when the emergency answer took them first (:func:`emergency_at_pick`).

Closed meanwhile (fix6j, issue 6 item 4 "nothing said is dropped"): the teacher may close one child's incident
while the question is still on the writer's screen. Its answer is then checked against the incidents still open:
a child whose incident closed gets "closed meanwhile" and the words go to the child's teacher as the family's
message (who reads them is named), never passed as an all clear nor dropped in silence; the other children keep
theirs (an all clear goes only to a child picked, never guessed); words added at the question ask it again
for the children still open only. The close notice itself asks the question again for what still needs an
answer (:mod:`bot.services.all_clear_closed`, fix6l), so the list on her screen is never a stale one.
"""

from __future__ import annotations

import re

from bot.domain import child_mentions
from bot.domain.emergency_words import emergency_kind
from bot.domain.traditional import simplified
from bot.flows import agenda as agenda_flow
from bot.flows import relay
from bot.flows.all_clear_words import HURT
from bot.flows.common import INVALID_BUTTON, Ctx, Option, say
from bot.messages import payloads
from bot.messages.prompt import N_, Prompt, text
from bot.services import all_clear_closed, family_messages, incident_all_clear, incident_replies

FLOW = "all_clear"
PICK = "pick"

# The names come last, after a colon: the sentence reads the same for one name or several.
PASSED_ALL_CLEAR = N_("Thank you. Your words about {child} were passed to those alerted about the incident: {names}.")
PASSED_AGAIN = N_("Your all clear about {child} was already passed to those alerted about the incident. These words "
                  "were passed to: {names}.")
WHICH = N_("Which child are your words “{words}” about? Everyone alerted about that child's incident will be told.")
ALL = Option(N_("All of them"), "all")
ADDED = N_("Added to your message.")
TAKE_BACK = Option(N_("Take it back: not found"), "back")
TAKEN_BACK = N_("Your all clear was taken back: nothing was passed on as an all clear.")
CLOSED = N_("The incident about {child} was closed meanwhile; you were sent its outcome.")
KEPT = N_("All right: your words were not passed on.")
# Words that say the all clear was wrong (不对，孩子们都还没找到): they withdraw it, never add to it.
NOT_FOUND = re.compile(r"不对|错了|搞错|还没|没找到|没有找到|找不到|没回|不见|"
                        r"\b(?:no|not|wrong|mistake|haven'?t|hasn'?t|still missing)\b")


def passed(ctx: Ctx, child_ids: list[int], words: str) -> list[Prompt] | None:
    """The all clear passed on for each of ``child_ids`` (open incidents), and who was told, per child."""
    names = {c.id: c.name for c in family_messages.family_children(ctx.uow, ctx.bound().person_id)}
    out: list[Prompt] = []
    for child_id in child_ids:
        cleared = incident_all_clear.pass_all_clear(ctx.uow, person_id=ctx.bound().person_id, child_id=child_id,
                                                    words=words, now=ctx.now)
        child = text(names.get(child_id, ""))
        if cleared.told:
            out.append(say(PASSED_ALL_CLEAR, child=child, names=[text(n) for n in cleared.told]))
        elif cleared.again:
            out.append(say(PASSED_AGAIN, child=child, names=[text(n) for n in cleared.again]))
    return out or None


def ask(ctx: Ctx, words: str, child_ids: list[int]) -> list[Prompt]:
    """"Which child?" among ``child_ids`` (each with an open incident), the words kept until it is answered."""
    if ctx.conv.flow != FLOW:
        agenda_flow.suspend(ctx)  # a flow running (a talk) is set aside and asked again after this answer
    names = {c.id: c.name for c in family_messages.family_children(ctx.uow, ctx.bound().person_id)}
    ctx.conv.data["v"] = {"words": words, "ids": list(child_ids)}
    options = [Option(N_("{name}"), payloads.child_value(i), {"name": text(names.get(i, ""))}) for i in child_ids]
    every = [ALL] if len(child_ids) > 1 else []  # one child left open (the other closed meanwhile): no "all"
    return [ctx.ask(FLOW, PICK, WHICH, {"words": text(words)}, options=[*options, *every, TAKE_BACK],
                    free_text=True)]


def on_choice(ctx: Ctx, value: str) -> list[Prompt]:
    """A child picked (or all of them): the all clear passed on for it, if its incident is still open."""
    values = dict(ctx.values)
    words = str(values.get("words") or "")
    ids = [int(i) for i in values.get("ids") or ()]
    ctx.finish()
    if value in (all_clear_closed.SEND, all_clear_closed.DROP):  # every incident closed meanwhile (fix6l)
        first = [int(i) for i in values.get("first") or ids]
        return [relay.about_child(ctx, i, words) for i in first] if value == all_clear_closed.SEND else [say(KEPT)]
    if value == TAKE_BACK.value:
        return taken_back(ctx, ids, words)
    if value == ALL.value:
        return _answer(ctx, ids, ids, words)
    child_id = payloads.decode_child_value(value)
    if child_id not in ids:
        return [say(INVALID_BUTTON)]
    return _answer(ctx, [child_id], ids, words)


def on_text(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """A typed name answers "which child?"; other words are added to the all clear, and it is asked again."""
    ids = [int(i) for i in ctx.values.get("ids") or ()]
    names = [(c.id, c.name) for c in family_messages.family_children(ctx.uow, ctx.bound().person_id) if c.id in ids]
    named = child_mentions.named(typed, names)
    words = str(ctx.values.get("words") or "")
    if ctx.values.get("closed"):  # every incident closed meanwhile: these words too go to the teacher (fix6l)
        first = [int(i) for i in ctx.values.get("first") or ids]
        ctx.finish()
        return [relay.about_child(ctx, i, f"{words}\n{typed.strip()}") for i in first]
    if takes_back(typed):
        ctx.finish()
        return taken_back(ctx, ids, f"{words}\n{typed.strip()}")
    if named and child_mentions.only_a_name(typed, next(n for i, n in names if i == named[0])):
        ctx.finish()
        return _answer(ctx, named, ids, words)
    gone = _closed_named(ctx, typed, ids)
    if gone is not None:  # 刘帅, whose incident closed and was taken off the question (fix6l)
        ctx.finish()
        return [*_closed(ctx, [gone]), relay.about_child(ctx, gone, words)]
    words = f"{words}\n{typed.strip()}"
    still = _still_open(ctx, ids)
    if not still:  # every incident closed meanwhile: the words to the teachers, as the family's message
        ctx.finish()
        return _answer(ctx, ids, ids, words)
    offered = ctx.values.get("first")
    ctx.conv.data["v"] = {"words": words, "ids": still}
    again = ctx.current_prompt()
    question = ask(ctx, words, still)
    if offered:
        ctx.conv.data["v"]["first"] = offered  # the children taken off the question are still known by name
    closed = _closed(ctx, [i for i in ids if i not in still])
    return [*closed, say(ADDED), *question] if again is not None else [*closed, *question]


def _closed_named(ctx: Ctx, typed: str, ids: list[int]) -> int | None:
    """The child whose name alone ``typed`` is, once offered and taken off when the incident closed; else None."""
    first = [int(i) for i in ctx.values.get("first") or ()]
    names = [(c.id, c.name) for c in family_messages.family_children(ctx.uow, ctx.bound().person_id)
             if c.id in first and c.id not in ids]
    named = child_mentions.named(typed, names)
    if not named or not child_mentions.only_a_name(typed, next(n for i, n in names if i == named[0])):
        return None
    return named[0]


def _still_open(ctx: Ctx, ids: list[int]) -> list[int]:
    """Those of ``ids`` whose incident the writer was alerted to is still open (the question may be stale)."""
    return [i for i in ids if incident_replies.followed_child(
        ctx.uow, person_id=ctx.bound().person_id, child_ids=[i], now=ctx.now, within=None) is not None]


def _closed(ctx: Ctx, child_ids: list[int]) -> list[Prompt]:
    """"The incident about {child} was closed meanwhile", per child."""
    names = {c.id: c.name for c in family_messages.family_children(ctx.uow, ctx.bound().person_id)}
    return [say(CLOSED, child=text(names.get(i, ""))) for i in child_ids]


def _answer(ctx: Ctx, picked: list[int], ids: list[int], words: str) -> list[Prompt]:
    """The all clear for the ``picked`` children still open; for those closed meanwhile, the words as a message.

    Never empty: a child whose incident closed since the question was shown gets "closed meanwhile" and the
    words reach its teacher (:func:`bot.flows.relay.about_child`, naming who reads them); the writer is also
    told of the other children's incidents closed meanwhile.
    """
    still = _still_open(ctx, ids)
    out = _closed(ctx, [i for i in ids if i not in still])
    closed = [i for i in picked if i not in still]
    cleared = passed(ctx, [i for i in picked if i in still], words) if any(i in still for i in picked) else None
    out += cleared or [relay.about_child(ctx, i, words) for i in picked if i in still]
    return out + [relay.about_child(ctx, i, words) for i in closed]


def takes_back(typed: str) -> bool:
    """Whether words typed at "which child?" withdraw the all clear: not found, an emergency, or harm.

    ``还没找到``, ``婷婷在医院抢救``, ``婷婷被打了``, ``she is in the ICU`` (fix6k D2): the all clear was not
    one, so a child picked afterwards must not pass ``没事了`` on (:data:`bot.flows.all_clear_words.HURT`).
    """
    folded = simplified(typed).casefold()
    return bool(NOT_FOUND.search(folded)) or emergency_kind(typed) is not None or bool(HURT.search(folded))


def emergency_at_pick(ctx: Ctx, typed: str) -> list[Prompt]:
    """Emergency words answered at "which child?" (:mod:`bot.flows.emergency`): the all clear is taken back.

    The emergency answer comes first; then, as for ``还没找到``, nothing is passed on as an all clear and the
    words go to the teachers as the family's message, so a ``1`` afterwards answers nothing here.
    """
    words = str(ctx.values.get("words") or "")
    ids = [int(i) for i in ctx.values.get("ids") or ()]
    ctx.finish()
    return taken_back(ctx, ids, f"{words}\n{typed.strip()}")


def taken_back(ctx: Ctx, child_ids: list[int], words: str) -> list[Prompt]:
    """The all clear withdrawn: nothing passed on as one; the words to the teachers as the family's message."""
    return [say(TAKEN_BACK), *(relay.about_child(ctx, child_id, words) for child_id in child_ids)]
