"""Whether a report's description suggests harm by a family member or carer (the privacy issue's safeguarding rule).

An abuse report must never go first to the accused guardian (DESIGN.md "Privacy"): a teacher who picks
"injury" or "other" and writes ``爷爷用棍子打的`` is asked, before anyone is told, whether it is a report of
suspected abuse or neglect. The words are catalog entries per language, like :mod:`bot.flows.words`:

* ``strong``: words that suggest harm on their own (``不让…吃饭``, ``怕回家``, ``继父``, ``scared to go home``);
* ``acts`` count only beside a ``family`` word (``姥爷…抽``, ``家长体罚``, ``grandpa whips``):
  ``被同学推倒`` is bullying;
* ``not_harm`` is cut out first, so ``奶奶带她去打针``, ``爸爸打电话``, ``抽屉``, ``爷爷抽烟``, ``关灯`` say nothing,
  nor ``奶奶说孩子被同学打了`` (a classmate: bullying, not harm at home) or ``奶奶弄的饭`` (grandma cooked, fix6g).
* ``fears`` count when a ``family`` word follows closely: ``怕爷爷``, ``afraid of her grandpa`` (fix6k);
* the child's guardians and parents by name count as ``family`` words (``被张强打的``: the caller passes them).

Found by a breaker (fix6k): ``踹``, ``揪头发``, ``拿刀砍``, ``用绳子勒``, ``咬``, ``针扎``, ``她爷``, ``爹干的``,
``亲她下面``, ``进她房间``, ``回家要挨打``, ``青一块紫一块``, ``gramps``, ``whacked`` now ask; ``打的120`` (a call),
``在家里烫伤`` (an accident), ``扎辫子``, ``砍柴``, ``被狗咬``, ``怕妈妈担心`` do not.

A listed word may hold ``…``: up to 3 characters (Chinese) or words (Latin) between its parts, so ``不让…吃饭``
also reads ``奶奶不让她吃饭`` and ``won't let … eat`` reads ``won't let her eat``. A teacher's ``体罚`` names no
family member and ``老师体罚`` is cut out: the family is not the accused, so telling it is right.

A false positive costs one question; a miss sends the disclosure to the accused, so the lists lean wide.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from bot.domain.child_mentions import given_name, latin_forms
from bot.domain.traditional import simplified
from bot.i18n import LOCALES, gettext
from bot.messages.prompt import N_

HARM_LISTS: dict[str, str] = {
    "strong": N_("Words that suggest harm at home on their own (comma-separated; … is up to 3 words between): starves,"
                 " starved, starving, no food, not fed, not given food, won't let … eat, doesn't let … eat, does not "
                 "let … eat, not allowed to eat, won't let … sleep, not allowed to sleep, won't let … go to school, "
                 "scared to go home, afraid to go home, locked up, locked in, tied up, stepfather, stepdad, "
                 "stepmother, stepmom, stepmum, sexual, molested, abused, abuse, neglected, neglect, private parts, "
                 "privates"),
    "acts": N_("Words for hurting a child, harm when a family member is named too (comma-separated; … is up to 3 "
               "words between): beat, beats, beating, beaten, hit, hits, hitting, hurt, hurts, kick, kicks, kicked, "
               "slap, slaps, slapped, punch, punched, pushed, burned, burnt, belt, stick, touches, touched, pinched,"
               " choked, whip, whips, whipped, whipping, smack, smacks, smacked, spank, spanks, spanked, hanger, "
               "lock … in, locks … in, locked … in, tied, starve, whack, whacks, whacked, whacking, thrash, thrashed, "
               "thrashing, bites, bitten, strangled, choke, chokes, dragged, pulled … hair, into her room, into his "
               "room"),
    "family": N_("Words for a family member or carer (comma-separated; … is up to 3 words between): grandpa, "
                 "grandfather, grandma, grandmother, granny, grandad, granddad, grandparent, grandparents, nan, nana, "
                 "father, dad, daddy, papa, mother, mum, mom, mama, stepmother, stepfather, stepdad, stepmom, uncle, "
                 "aunt, auntie, aunty, guardian, carer, parent, parents, brother, sister, cousin, relative, relatives,"
                 " family, adult, adults, at home, gramps, grampa, grandpop, granda, nanna, stepmum"),
    "not_harm": N_("Words that look like harm but are not (comma-separated; … is up to 3 words between): hit his head, "
                   "hit her head, hit the ball, beat the team, hit by a classmate, hit by classmates, classmate hit, "
                   "classmates hit"),
    "fears": N_("Words of fear that are harm when a family member follows (comma-separated; … is up to 3 words "
                "between): afraid of, scared of, frightened of, terrified of, fears, is afraid of"),
}
"""One catalog entry per list: a description, a colon, then the words (``，`` or ``,`` between them)."""

_LATIN = re.compile(r"[a-z0-9']+")
_GAP = "…"
"""Between the parts of a listed word: up to 3 characters or words (``不让…吃饭``, ``won't let … eat``)."""
_CLAUSE_END = "，。；！？,.;!?\n"


def _fold(typed: str) -> str:
    return simplified(unicodedata.normalize("NFKC", typed).casefold()).replace("’", "'")


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


@lru_cache(maxsize=1024)
def _pattern(word: str) -> tuple[re.Pattern[str], bool]:
    """A listed word as a pattern, and whether it is Latin (whole words of the spaced text); ``…`` a short gap."""
    parts = [part.strip() for part in word.replace("...", _GAP).split(_GAP)]
    if all(part.isascii() for part in parts):
        gap = r"(?: [a-z0-9']+){0,3} "
        return re.compile(" " + gap.join(re.escape(part) for part in parts) + " "), True
    return re.compile(f"[^{_CLAUSE_END}]{{0,3}}".join(re.escape(part) for part in parts)), False


@lru_cache(maxsize=1024)
def _cut_pattern(word: str) -> re.Pattern[str]:
    """A "not harm" word as a pattern over the folded text: Latin as whole words (``made … dinner``), ``…`` a gap."""
    parts = [part.strip() for part in word.replace("...", _GAP).split(_GAP)]
    if all(part.isascii() for part in parts):
        return re.compile(r"\b" + r"(?:\s+[a-z0-9']+){0,3}\s+".join(re.escape(part) for part in parts) + r"\b")
    return _pattern(word)[0]


def _says(text: str, words: tuple[str, ...]) -> bool:
    """Whether ``text`` holds one of ``words``: Latin words as whole words, Chinese ones anywhere (both with gaps)."""
    spaced = " " + " ".join(_LATIN.findall(text)) + " "
    for word in words:
        pattern, latin = _pattern(word)
        if pattern.search(spaced if latin else text):
            return True
    return False


def _name_words(names: Iterable[str]) -> tuple[str, ...]:
    """The child's family by name, as a teacher writes them: ``张强``, a two-character given name (``冬梅``), pinyin."""
    found: set[str] = set()
    for name in names:
        full = _fold("".join(name.split()))
        given = given_name(full)
        found.update(form for form in (full, given if len(given) >= 2 else "") if form)
        found.update(latin_forms(name))
    return tuple(sorted(found, key=len, reverse=True))


def _fear_of(text: str, family: tuple[str, ...]) -> bool:
    """Whether a word of fear is followed closely by a family word (``怕爷爷``, ``afraid of her grandpa``)."""
    return any(_says(text, tuple(f"{fear}{_GAP}{who}" for who in family)) for fear in harm_words("fears"))


def suggests_harm(description: str, names: Iterable[str] = ()) -> bool:
    """Whether a description suggests harm by a family member or carer (asked about, never assumed).

    Args:
        description: the words as typed (any catalog's language).
        names: the child's guardians and parents by name (``被张强打的`` names the grandfather): they count as
            family words; never shown.
    """
    text = _fold(description)
    for word in harm_words("not_harm"):  # 打针, 打电话, 被同学…打: cut out, so the 打 in them is no blow at home
        text = _cut_pattern(word).sub(" ", text)
    if _says(text, harm_words("strong")):
        return True
    family = harm_words("family") + _name_words(names)
    return (_says(text, harm_words("acts")) and _says(text, family)) or _fear_of(text, family)
