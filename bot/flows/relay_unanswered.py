"""A family member's typed text that answers no question: thanked, a change of mind, or passed on (issue 6 item 4).

Moved out of :mod:`bot.flows.relay` (the module size rule); see docs/flows/relay.md.
"""

from __future__ import annotations

from bot.flows import agenda as agenda_flow
from bot.flows import family_notes, second_thoughts, thanks, to_teacher
from bot.flows import typed as typed_answers
from bot.flows import words as everyday
from bot.flows.common import PICK_ONE, Ctx, say
from bot.flows.relay import FLOW, is_reply_word, on_reply_button, pass_on, writes_about
from bot.messages.prompt import N_, Prompt, msg, text
from bot.services import family_copies

NOTHING_WAITING = N_("Thank you! No question of mine is waiting for your answer just now.")


def unanswered(ctx: Ctx, typed: str, *, again: list[Prompt] | None = None) -> list[Prompt] | None:
    """Typed text that answers no question (``again``: the question waiting, when one is).

    An everyday acknowledgement (``好的``, ``收到``, ``👍``) or a bare skip word
    (``跳过``) is only that, and so is text of emoji, spaces or zero-width
    characters alone (``😀``, 3000 of them, a zero-width space): it is thanked (or,
    with a question waiting, that question is shown again), never passed on as
    a message. A change of mind
    a little after answering (``不去了``, ``改一下``) changes that answer
    (:mod:`bot.flows.second_thoughts`). A family member's other words go to the
    class teacher (:func:`pass_on`), and the question waiting is asked again.
    None: neither (a staff member's words). An all clear (``没事了``) never gets here: the runner hands it to
    :func:`bot.flows.all_clear.intercept` first, whatever is on screen.
    """
    late = family_copies.answered_elsewhere_lately(ctx.uow, ctx.actor.person_id, ctx.now) \
        if ctx.actor is not None and is_reply_word(ctx, typed) else None
    if late is not None:  # 回复 to words another reader answered meanwhile: who answered, and what (conv6s)
        return on_reply_button(ctx, late)
    if everyday.is_acknowledgement(ctx.locale, typed) or everyday.matches(ctx.locale, "skip", typed) \
            or everyday.says_nothing(typed):  # 😀 (or a zero-width space) at a check-in: asked again, like 👍
        read = family_notes.read_only(again or [])  # 收到 under a family's message: read, nothing to answer
        if read is not None:
            return [read]
        thanked = thanks.after_answer(ctx, again or [])  # 好的 to a teacher's answer: thanks, not a wrong answer
        if thanked is not None:
            return thanked
        return [not_an_answer(typed, again), *again] if again else [say(NOTHING_WAITING)]
    # A change of mind about a meeting answered a moment ago is no answer to the question waiting (a check-in).
    changed = second_thoughts.changes_mind(ctx, typed) or second_thoughts.answers_invitation(ctx, typed)
    if changed is not None:
        return [*changed, *_still_waiting(changed, again)]
    if to_teacher.address_only(ctx, typed) and writes_about(ctx):  # 老师 alone: her message comes next (fix6ad)
        return [to_teacher.ask(ctx)]
    passed = pass_on(ctx, typed)  # (老师您好，… typed as a message is kept whole: her words, her courtesy)
    if passed is None or ctx.conv.flow == FLOW:
        return passed  # (asking which child first: that question is the one shown)
    return [*passed, *_still_waiting(passed, again)]  # the question waiting is not forgotten: its answer is no message


def not_an_answer(typed: str, again: list[Prompt]) -> Prompt:
    """``好的`` at a check-in: that it is no answer, and the answers by name ("请回复 1 很好、2 一般 或 3 需要帮助")."""
    shown = next((p for p in reversed(again) if p.choices), None)
    choices = [c for c in shown.choices if not c.typed] if shown is not None else []
    if len(choices) < 2 or everyday.says_nothing(typed) and not everyday.is_only_emoji(typed):  # nothing to quote
        return say(PICK_ONE)
    named = [msg(N_("{number} {label}"), number=text(str(i)), label=msg(c.label, **c.params))
             for i, c in enumerate(choices, start=1)]
    return say(N_("“{word}” is not one of the answers. Please reply {choices} or {last}."),
               word=text(typed.strip()), choices=named[:-1], last=named[-1])


def _still_waiting(reply: list[Prompt], again: list[Prompt] | None) -> list[Prompt]:
    """"Still waiting for your answer:" and the question waiting, unless the reply asks a question of its own.

    A reply's own question (the check-in asked again after ``改一下``) is the one shown: a typed number
    answers it, and the question waiting is asked again in its turn.
    """
    if not again or any(p.choices for p in reply):
        return []
    return [Prompt(agenda_flow.STILL_WAITING), *again]


def out_of_menu(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """A family member's own words at a menu (``/privacy``, ``/call`` …) that match none of its choices.

    A grandmother who tapped ``/privacy`` and hours later writes ``孩子发烧了``
    must not be told "please choose an option" again and again while her
    message reaches nobody (found by a breaker): the menu is closed and the words
    go to the class teacher like any other message. None for staff, a number,
    or an everyday acknowledgement (the menu is asked again).
    """
    if typed_answers.number(typed) is not None or everyday.is_acknowledgement(ctx.locale, typed) \
            or everyday.says_nothing(typed) or everyday.matches(ctx.locale, "skip", typed) or not writes_about(ctx):
        return None
    ctx.finish()
    return unanswered(ctx, typed)
