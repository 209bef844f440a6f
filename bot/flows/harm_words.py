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

Found by a breaker (fix6o): rape and sexual words (``强奸``, ``强暴``, ``脱衣服``, ``raped``)
ask on their own; burns, boiling water, hanging up, forced labour, ``动手``, ``睡她床上`` and the village's
kinship words (``她哥``, ``她舅``, ``姑父``, ``祖父``, ``养父``, ``老头子``, ``gran``, ``the old man``) beside a
family word; the guardian's nicknames (``老张``, ``强子``); spaces inside a Chinese word (``监 护人``).

``摸`` / ``touched`` alone over-asked (fix6p): a teacher's ``摸了摸头说不疼``, ``摸着肚子说疼`` or ``touched his head,
no fever`` asked the harm question. They ask now with a person (``摸她``, ``有人…摸``, ``被…摸``, ``乱摸``,
``touched her``, ``was touched``) or a part of the body that says it (``摸…胸``, ``摸…屁股``, ``摸…下面``,
``private parts``); a hand on the head or forehead (``摸了摸她的头``, ``touched her forehead``) is cut out first.

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
    "strong": N_("Words that suggest harm at home on their own (comma-separated; … is up to 3 words between): starves, "
                 "starved, starving, no food, not fed, not given food, won't let … eat, doesn't let … eat, does not "
                 "let … eat, not allowed to eat, won't let … sleep, not allowed to sleep, won't let … go to school, "
                 "scared to go home, afraid to go home, locked up, locked in, tied up, stepfather, stepdad, "
                 "stepmother, stepmom, stepmum, sexual, molested, abused, abuse, neglected, neglect, private parts, "
                 "privates, raped, rape, rapes, raping, sexually, sex, molest, molests, molesting, fondled, fondles, "
                 "fondling, groped, gropes, groping, touched her, touched him, touched me, touched by, was touched, "
                 "been touched, touch her, touch him, touches her, touches him, touching her, touching him, "
                 "undressed her, undressed him, made her undress, made him undress, clothes off, naked, scared of "
                 "going home, afraid of going home, scared of going back, afraid of going back, scared to go back, "
                 "afraid to go back, doesn't want to go home, does not want to go home, don't want to go home, won't "
                 "go home, refuses to go home, doesn't want to go back, does not want to go back"),
    "acts": N_("Words for hurting a child, harm when a family member is named too (comma-separated; … is up to 3 words "
               "between): beat, beats, beating, beaten, hit, hits, hitting, hurt, hurts, kick, kicks, kicked, slap, "
               "slaps, slapped, punch, punched, pushed, burned, burnt, belt, stick, touches, touched, pinched, choked, "
               "whip, whips, whipped, whipping, smack, smacks, smacked, spank, spanks, spanked, hanger, lock … in, "
               "locks … in, locked … in, tied, starve, whack, whacks, whacked, whacking, thrash, thrashed, thrashing, "
               "bites, bitten, strangled, choke, chokes, dragged, pulled … hair, into her room, into his room, strike, "
               "strikes, striking, struck, burn, burns, burning, cigarette, cigarettes, scald, scalds, scalded, "
               "boiling water, kneel, kneels, kneeling, knelt, hang, hangs, hung, hanged, tie, ties, bruise, bruises, "
               "bruised, grab, grabs, grabbed, twist, twists, twisted, forced, forces, force, heavy work, hard labour, "
               "hard labor, throws, threw, thrown, pinch, pinches, poured, punches, punching, kicking, slapping, "
               "shook, shakes, squeezed, scratched, drunk, sleeps in her bed, sleeps in his bed, in her bed, in his "
               "bed"),
    "family": N_("Words for a family member or carer (comma-separated; … is up to 3 words between): grandpa, "
                 "grandfather, grandma, grandmother, granny, grandad, granddad, grandparent, grandparents, nan, nana, "
                 "father, dad, daddy, papa, mother, mum, mom, mama, stepmother, stepfather, stepdad, stepmom, uncle, "
                 "aunt, auntie, aunty, guardian, carer, parent, parents, brother, sister, cousin, relative, relatives, "
                 "family, adult, adults, at home, gramps, grampa, grandpop, granda, nanna, stepmum, gran, grannie, "
                 "grandpapa, grandmama, granpa, grandda, old man, old woman, step father, step mother, step dad, step "
                 "mum, step mom, stepbrother, stepsister, half brother, half sister, older brother, big brother, elder "
                 "brother, foster father, foster mother, foster parent, foster parents, adoptive father, adoptive "
                 "mother, adoptive parent, godfather, godmother, great grandfather, great grandmother, great grandma, "
                 "great grandpa, brother in law, sister in law, in laws, pa, ma, pop, pops, caregiver, caretaker, "
                 "babysitter, nanny, her dad, his dad"),
    "not_harm": N_("Words that look like harm but are not (comma-separated; … is up to 3 words between): hit his head, "
                   "hit her head, hit the ball, beat the team, hit by a classmate, hit by classmates, classmate hit, "
                   "classmates hit, touched the ball, touched a hot, touched … head, touched … forehead"),
    "fears": N_("Words of fear that are harm when a family member follows (comma-separated; … is up to 3 words "
                "between): afraid of, scared of, frightened of, terrified of, fears, is afraid of"),
}
"""One catalog entry per list: a description, a colon, then the words (``，`` or ``,`` between them)."""

_LATIN = re.compile(r"[a-z0-9']+")
_GAP = "…"
"""Between the parts of a listed word: up to 3 characters or words (``不让…吃饭``, ``won't let … eat``)."""
_CLAUSE_END = "，。；！？,.;!?\n"


# Spaces beside a Chinese character are no break between words: ``监 护人打的`` reads ``监护人打的`` (fix6o).
_CJK_SPACE = re.compile(r"\s+(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])\s+")


def _fold(typed: str) -> str:
    folded = simplified(unicodedata.normalize("NFKC", typed).casefold()).replace("’", "'")
    return _CJK_SPACE.sub("", folded)


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
    """The child's family by name, as a teacher or child says them: ``张强``, ``冬梅``, pinyin, and nicknames.

    The nicknames of a village (fix6o): from the given name (``强子``, ``阿强``, ``小强``, ``强强``, ``强哥``)
    and from the surname (``老张``, ``张老``, ``张老头``). A one-character given name alone (``强``) is none: it
    is inside too many words.
    """
    found: set[str] = set()
    for name in names:
        full = _fold("".join(name.split()))
        given = given_name(full)
        surname = full[: len(full) - len(given)]
        found.update(form for form in (full, given if len(given) >= 2 else "") if form)
        found.update(latin_forms(name))
        last = given[-1:] if given and not given.isascii() else ""
        if last:
            found.update({f"{last}子", f"阿{last}", f"小{last}", last * 2, f"{last}哥"})
        if surname and not surname.isascii():
            found.update({f"老{surname}", f"{surname}老", f"{surname}老头"})
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
    family = harm_words("family")
    named = _name_words(names)
    # 张老师 is the teacher, not 张老 (the grandfather 张强 as the village calls him): set aside for the names.
    by_name = text.replace("老师", "师")
    if _says(text, harm_words("acts")) and (_says(text, family) or _says(by_name, named)):
        return True
    return _fear_of(text, family) or _fear_of(by_name, named)
