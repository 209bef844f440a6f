"""Skip and no words while an incident is being closed: never the note everyone is told (fix6r, break6 F1).

王老师 closes the incident after the grandfather's all clear: the outcome is chosen already ("孩子已找到") and the
confirmation asks for an optional note in the same message. Her ``跳过`` (or ``不用``, ``no``) became that note:
the whole chain read "说明：跳过". At the outcome question ``跳过`` became outcome "other" with the note "跳过".
Now, from the everyday word lists of the catalogs (:mod:`bot.flows.words`):

- at the confirmation ("确认结束…吗？"), a word for no (``不``, ``不用``, ``不要``, ``no``, ``none``) keeps the
  incident open, and says so; a word for skip that is no "no" (``跳过``, ``skip``, ``nothing``) adds no note
  and asks the confirmation again;
- at the outcome question, either is no outcome: it is asked again, with how to leave it open (``取消``).

fix6v (a breaker's trial): ``不需要``, ``不用了谢谢``, ``nope``, ``no need``, ``none`` at the optional note question
became the note. Now a word for skip or no there is no note (with thanks after it or not), and the confirmation
after an all clear no longer takes a note in the same message: it asks "close it?" alone (a note has its own
button, "Add a note"), so a no there is a refusal, and the teacher reads that the incident is still open.

fix6at (a breaker): 王老师 cancelled a close (``取消`` at "确认结束…吗？"), her talk came back, and her ``确认结束``
typed one step late was kept as the talk's note while the incident stayed open. The close's own words typed when no
close is waiting (:func:`late_confirm`) are nobody's note or answer: she reads that no close waits (it was cancelled
or done), how to start one (结束事件), and the question waiting is asked again.

fix6av (a tester): ``跳过`` typed at the confirmation after the note (孩子已经包扎好) deleted it unasked, the stale
「1. 跳过」 of the note question still on screen. A skip there keeps a note already written, and says so.
"""

from __future__ import annotations

from bot.flows import words as everyday
from bot.flows.common import Ctx
from bot.i18n import LOCALES, gettext
from bot.messages.prompt import N_, Prompt, text

KEPT_OPEN = N_("The incident about {child} is still open, and nobody was told anything. To close it later, send "
               "/close.")
NO_NOTE = N_("No note: only the outcome will be sent.")
NOTE_KEPT = N_("Your note stays: “{note}”. Skip never removes words you have written.")
OUTCOME_NEEDED = N_("To close the incident about {child}, choose how the child is now: everyone told hears it. "
                    "To leave it open, send /cancel.")
CONFIRM_WORDS = N_("Confirm close")
"""The confirming answer's label (:data:`bot.flows.incident_manage.CONFIRM_CLOSE`): typed-only, its words."""
NO_CLOSE_WAITING = N_("“{words}”: no incident is waiting to be closed. Closing was cancelled (or is done), so nothing "
                      "was closed or saved now. To close an incident, send /close.")


def is_confirm(locale: str, typed: str) -> bool:
    """Whether ``typed`` is the confirming answer's words ("确认结束", "Confirm close") in any language."""
    want = everyday.fold(typed)
    return any(want == everyday.fold(gettext(loc, CONFIRM_WORDS)) for loc in {locale, *LOCALES})


def late_confirm(ctx: Ctx, typed: str, closing: str) -> Prompt | None:
    """"No close is waiting" for the close's words typed when no close is (``closing``: the incident flow's name).

    None when a close is running (its own steps read the words) or ``typed`` is other words.
    """
    if ctx.conv.flow == closing or not is_confirm(ctx.locale, typed):
        return None
    return Prompt(NO_CLOSE_WAITING, {"words": text(typed.strip())})


def is_no(ctx: Ctx, typed: str) -> bool:
    """Whether ``typed`` is a word for no (``不用``, ``no``, ``none``) in any language, thanks after or not."""
    return _matches(ctx, "no", typed)


def is_skip(ctx: Ctx, typed: str) -> bool:
    """Whether ``typed`` is a word for skip (``跳过``, ``skip``) in any catalog's language, thanks after or not."""
    return _matches(ctx, "skip", typed)


def _matches(ctx: Ctx, kind: str, typed: str) -> bool:
    before = everyday.before_thanks(ctx.locale, typed)  # 不用了，谢谢: 不用了
    return everyday.matches(ctx.locale, kind, typed) or (before is not None and everyday.matches(ctx.locale, kind,
                                                                                                  before))


def kept_open(child: str) -> Prompt:
    """"The incident stays open" (a no at the confirmation)."""
    return Prompt(KEPT_OPEN, {"child": text(child)})


def skipped(ctx: Ctx) -> Prompt:
    """The answer to ``跳过`` at the close confirmation: no note, or the note already written kept (fix6av).

    ``跳过`` there answers the note question just before it (its 「1. 跳过」 still on screen): typed after the note,
    it never discards the words the teacher wrote; with no note written, there is none.
    """
    note = ctx.values.get("note")
    if note:
        return Prompt(NOTE_KEPT, {"note": text(note)})
    ctx.values["note"], ctx.values["no_note"] = None, True
    return Prompt(NO_NOTE)


def outcome_needed(child: str) -> Prompt:
    """"Choose how the child is now" (a skip or no word at the outcome question)."""
    return Prompt(OUTCOME_NEEDED, {"child": text(child)})
