"""Which of a family's children a message names (issue 6 item 4: "nothing said is dropped").

A grandmother with two grandchildren writes ``婷婷发烧了`` after answering
刘帅's check-in, or ``帅帅今天没去上学`` outside any question: the words are
about the child they name, not the child of the question. Families call a
child by the full name (刘婷婷), the given name (婷婷), a one-character given
name doubled (帅帅 for 刘帅) or with 小 / 阿 before it (小帅, 阿帅).

Traditional characters are read as simplified on both sides (``帥帥發燒了``
names 刘帅 as ``帅帅发烧了`` does): some phones and relatives type them.

Only the writer's own children are ever compared (the caller passes them), so a
match never reveals or reaches another family's child. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from pypinyin import Style, lazy_pinyin

from bot.domain.traditional import simplified

# Two-character surnames (复姓) whose given name starts at the third character.
COMPOUND_SURNAMES = frozenset({
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "轩辕",
    "令狐", "端木", "独孤", "南宫", "西门", "百里", "呼延", "万俟", "闻人", "澹台", "申屠", "太史", "钟离",
})


def given_name(name: str) -> str:
    """The given name of a Chinese full name (刘婷婷 → 婷婷, 欧阳娜娜 → 娜娜); a one-character name is itself."""
    name = "".join(name.split())
    if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
        return name[2:]
    return name[1:] if len(name) >= 2 else name


def forms(name: str) -> frozenset[str]:
    """The ways a family writes a child's name: full name, given name, doubled or 小/阿 nickname.

    A one-character given name alone (帅) is no form: inside other words (帅气)
    it would name the child by accident; only its doubled (帅帅) or 小帅 form is.
    """
    full = simplified("".join(name.split()))
    if not full:
        return frozenset()
    given = given_name(full)
    found = {full}
    if len(given) >= 2:
        found.add(given)
        last = given[-1]
    else:
        last = given
    if last and not last.isascii():
        found.update({last * 2, f"小{last}", f"阿{last}"})
    return frozenset(f for f in found if f)


def latin_forms(name: str) -> frozenset[str]:
    """A child's name as English speakers write it, in toneless pinyin: ``xiuyun``, ``yang xiuyun``, ``yangxiuyun``.

    Only names of two syllables or more: a one-syllable pinyin (``an``) is inside too many English words.
    """
    full = "".join(name.split())
    given = given_name(full)
    found: set[str] = set()
    for part in {full, given, given * 2 if len(given) == 1 else given}:  # 帅帅: shuaishuai
        syllables = lazy_pinyin(part, style=Style.NORMAL, errors="ignore")
        if len(syllables) >= 2 and all(s.isascii() and s.isalpha() for s in syllables):
            found.add("".join(syllables))
    surname = full[: len(full) - len(given)]
    if surname and given:  # Liu Shuai, Tingting Liu: two words, safe even for a one-syllable given name
        last = "".join(lazy_pinyin(surname, style=Style.NORMAL, errors="ignore"))
        first = "".join(lazy_pinyin(given, style=Style.NORMAL, errors="ignore"))
        found.update({f"{last} {first}", f"{first} {last}"})
    return frozenset(f for f in found if f)


def named(words: str, children: Mapping[int, str] | Iterable[tuple[int, str]]) -> list[int]:
    """The ids of the children (id → name) that ``words`` names, in the order given.

    A form shared by two of the children (both called 婷婷 at home) names
    neither of them through that form: the caller asks which child instead.
    """
    pairs = list(children.items()) if isinstance(children, Mapping) else list(children)
    text = simplified("".join(words.split()))
    by_form: dict[str, set[int]] = {}
    for child_id, name in pairs:
        for form in forms(name):
            by_form.setdefault(form, set()).add(child_id)
    hits: set[int] = set()
    # Longest forms first, each match blanked out: 刘婷婷 is not also 刘婷 (a sibling's full name inside it).
    for form in sorted(by_form, key=len, reverse=True):
        if form in text:
            if len(by_form[form]) == 1:
                hits |= by_form[form]
            text = text.replace(form, "\0")
    # Tingting has a fever, Liu Tingting, shuaishuai: a name in pinyin, as a whole word (trial3: an English note
    # about the other grandchild was filed under the child of the question).
    spaced = " ".join(re.findall(r"[a-z]+", simplified(words).casefold()))
    by_latin: dict[str, set[int]] = {}
    for child_id, name in pairs:
        for form in latin_forms(name):
            by_latin.setdefault(form, set()).add(child_id)
    for form in sorted(by_latin, key=len, reverse=True):
        pattern = rf"\b{re.escape(form)}\b"
        if re.search(pattern, spaced):
            if len(by_latin[form]) == 1:
                hits |= by_latin[form]
            spaced = re.sub(pattern, " ", spaced)
    for child_id, name in pairs:  # "Shuai is not": a one-syllable given name, capitalised as a name is (fix6x)
        word = capitalised_given(name)
        if word and child_id not in hits and re.search(rf"(?<![A-Za-z]){word}(?![A-Za-z])", simplified(words)):
            hits.add(child_id)
    first = re.match(r"\s*([a-z]+)\b", simplified(words))
    if not hits and first is not None and first.group(1) not in _ENGLISH_OPENERS:
        # "shuai has fever since tue": a family's own child's given name in lower case, as the message's first
        # word, when it is the syllable of exactly one of their children (fix6z: asked "which child?").
        lower = [cid for cid, name in pairs if capitalised_given(name).lower() == first.group(1)]
        hits.update(lower if len(lower) == 1 else ())
    return [child_id for child_id, _name in pairs if child_id in hits]


# Pinyin syllables that open an English sentence as English words: never read as a child's given name.
_ENGLISH_OPENERS = frozenset({"she", "you", "can", "man", "men", "ran", "fan", "pen", "pin", "tin", "bin", "sun",
                              "tan", "wan", "den", "hen", "ben", "die", "lie", "tie", "pie", "hang", "bang", "long",
                              "sang", "gang", "rang", "chin"})


def capitalised_given(name: str) -> str:
    """A one-character given name in pinyin, capitalised (刘帅 → ``Shuai``); "" when it is short or not one.

    Only matched capitalised, as a whole word, and of three letters or more: ``an`` or ``li`` in lower case
    is inside English words, ``Shuai`` written alone is the child.
    """
    given = given_name("".join(name.split()))
    if len(given) != 1:
        return ""
    syllable = "".join(lazy_pinyin(given, style=Style.NORMAL, errors="ignore"))
    return syllable.capitalize() if len(syllable) >= 3 and syllable.isascii() and syllable.isalpha() else ""


def only_a_name(words: str, name: str) -> bool:
    """Whether ``words`` is nothing but one of the forms of ``name`` (``婷婷``, ``刘婷婷。``): an answer, no message."""
    text = simplified("".join(words.split())).strip("，,。.!！?？:：")
    return text in forms(name)


# Words that speak of all a family's children at once: ``两个孩子都想妈妈了``, ``孩子们``, ``both kids miss their
# mum``. A plain 孩子 (or 都 alone: ``孩子最近都不吃饭``, "lately") is one child, so neither is enough by itself.
_ALL_ZH = ("两个孩子", "两个小孩", "两个娃", "俩孩子", "两孩子", "俩娃", "孩子们", "小孩们", "孩子俩", "他们俩",
           "她们俩", "他俩", "她俩", "姐弟", "兄妹", "兄弟俩", "姐妹俩", "三个孩子", "几个孩子", "两个都", "俩都")
_ALL_EN = re.compile(r"\b(both|kids|children|all of them)\b")


def about_all(words: str) -> bool:
    """Whether ``words`` speak of all the writer's children together (``两个孩子都…``, ``孩子们``, ``both kids``)."""
    folded = simplified("".join(words.split())).casefold()
    return any(w in folded for w in _ALL_ZH) or bool(_ALL_EN.search(simplified(words).casefold()))
