"""``保存`` / ``save`` typed at a talk card's question before its Save (fix6ac, issue 6 "natural replies").

王老师 typed ``保存`` at "Does 杨秀云 need follow-up?" and was told "please choose an option"; ``save`` there
was even kept as the talk's note. She means: save the card with what she gave. So:

* at the note or the follow-up question, the card has every rating: it is saved as it stands, the follow-up
  taken as its harmless first answer ("No follow-up needed"), and the saved message says so plainly (no task was
  added because she saved before answering), so a follow-up she wanted is not silently assumed either way —
  unless she noted a safety concern: that adds a follow-up task for her and the safeguarding lead anyway, and
  the saved message says only that (a trial read "no task was added", then at once "a task was added", fix6ah);
* before that (mood, study, daily life, safety), nothing can be saved yet: she is told, in the card's words,
  what is still missing, and the question is asked again.
"""

from __future__ import annotations

from bot.flows import words as everyday
from bot.flows.common import Ctx
from bot.messages.prompt import N_, msg

NOT_YET = N_("Not saved yet: the talk with {name} still needs {missing}. Please answer:")
NO_TASK = N_("No follow-up task was added: you chose Save before answering “Does {name} need follow-up?”.")
PARTS = (("mood", N_("mood")), ("study", N_("study")), ("daily_life", N_("daily life")),
         ("safety", N_("safety concerns")))
"""The card's answers a save needs, in the order asked (values key, the words naming it)."""


def is_save(ctx: Ctx, typed: str) -> bool:
    """Whether ``typed`` is only a word for saving (``保存``, ``存一下``, ``save``, ``submit``)."""
    return everyday.matches(ctx.locale, "save", typed)


def missing(ctx: Ctx) -> list[dict[str, object]]:
    """The card's answers not given yet (``学习、生活、安全隐患``), as message parameters."""
    return [msg(label) for key, label in PARTS if key not in ctx.values]
