"""Whether a report's description suggests harm by a family member or carer (the privacy issue's safeguarding rule).

An abuse report must never go first to the accused guardian (DESIGN.md "Privacy"): a teacher who picks
"injury" or "other" and writes ``爷爷用棍子打的`` is asked, before anyone is told, whether it is a report of
suspected abuse or neglect. The words are catalog entries per language, like :mod:`bot.flows.words`:

* ``strong``: words that suggest harm on their own (``不给饭吃``, ``怕回家``, ``继父``, ``scared to go home``);
* ``acts`` count only beside a ``family`` word (``爷爷…打``, ``grandpa beats``): ``被同学推倒`` is bullying;
* ``not_harm`` is cut out first, so ``奶奶带她去打针``, ``爸爸打电话``, ``打球``, ``打扫`` say nothing.

A false positive costs one question; a miss sends the disclosure to the accused, so the lists lean wide.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from bot.domain.traditional import simplified
from bot.i18n import LOCALES, gettext
from bot.messages.prompt import N_

HARM_LISTS: dict[str, str] = {
    "strong": N_("Words that suggest harm at home on their own (comma-separated): starves, starved, starving, "
                 "no food, not fed, not given food, scared to go home, afraid to go home, locked up, locked in, "
                 "stepfather, stepdad, stepmother, sexual, molested, abused, abuse, neglected, neglect"),
    "acts": N_("Words for hurting a child, harm when a family member is named too (comma-separated): beat, beats, "
               "beating, beaten, hit, hits, hitting, hurt, hurts, kick, kicks, kicked, slap, slaps, slapped, "
               "punch, punched, pushed, burned, burnt, belt, stick, touches, touched, pinched, choked"),
    "family": N_("Words for a family member or carer (comma-separated): grandpa, grandfather, grandma, "
                 "grandmother, granny, father, dad, daddy, mother, mum, mom, uncle, aunt, guardian, carer, "
                 "parent, parents, brother, cousin, at home"),
    "not_harm": N_("Words that look like harm but are not (comma-separated): hit his head, hit her head, "
                   "hit the ball, beat the team"),
}
"""One catalog entry per list: a description, a colon, then the words (``，`` or ``,`` between them)."""

_LATIN = re.compile(r"[a-z0-9']+")


def _fold(typed: str) -> str:
    return simplified(unicodedata.normalize("NFKC", typed).casefold())


@lru_cache(maxsize=16)
def harm_words(kind: str) -> tuple[str, ...]:
    """The folded words of one list in every catalog's language, longest first."""
    entry = HARM_LISTS[kind]
    found: set[str] = set()
    for listed in {entry, *(gettext(locale, entry) for locale in LOCALES)}:
        tail = listed.replace("：", ":").partition(":")[2]
        found.update(_fold(w).strip() for w in tail.replace("，", ",").replace("、", ",").split(","))
    found.discard("")
    return tuple(sorted(found, key=len, reverse=True))


def _says(text: str, words: tuple[str, ...]) -> bool:
    """Whether ``text`` holds one of ``words``: Latin words as whole words, Chinese ones anywhere."""
    spaced = " " + " ".join(_LATIN.findall(text)) + " "
    for word in words:
        if word.isascii():
            if f" {word} " in spaced:
                return True
        elif word in text:
            return True
    return False


def suggests_harm(description: str) -> bool:
    """Whether a description suggests harm by a family member or carer (asked about, never assumed)."""
    text = _fold(description)
    for word in harm_words("not_harm"):  # 打针, 打电话: cut out, so the 打 in them is no blow
        text = re.sub(rf"\b{re.escape(word)}\b" if word.isascii() else re.escape(word), " ", text)
    if _says(text, harm_words("strong")):
        return True
    return _says(text, harm_words("acts")) and _says(text, harm_words("family"))
