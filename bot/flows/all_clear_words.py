"""Which children an all clear speaks of: ``没事了``, ``杨秀云没事了``, ``秀云没事了``, ``孩子都没事了`` (fixg).

A grandfather whose granddaughter went missing writes ``杨秀云没事了`` rather than
``没事了``; a grandmother of two writes ``孩子都没事了`` or ``两个孩子都很好``. On
check-in day those words used to answer the Friday check-in as "good week"
(:mod:`bot.flows.checkin_named`, :mod:`bot.flows.checkin_all`) and nobody
handling the incident heard them. Here the child's name (full, given, 帅帅 /
小帅, traditional characters: :mod:`bot.domain.child_mentions`) and the words
that say "all of them" (都, 全, both) are set aside, and what is left must be an
all clear of the catalog — or, since the child was named or all of them were, a
plain "fine" (``很好``, ``平安``): said of a child with an open incident, that is
news for those handling it, not a rating of the week.

Negations stay what they are: ``杨秀云还没回来`` and ``秀云不是没事`` leave words
that are no all clear. Which of the children has an open incident is for the
caller to find (:func:`bot.flows.all_clear.all_clear`). Pure: no I/O.

Found by new users (fix6b): the news often comes first and the details after (``找到了，在邻居家``, ``we found
her, she was at the neighbour's``), so a message whose first clause is an all clear is one; English speakers name
the child in pinyin (``Xiuyun is fine now``); and a count (``两个孩子都没事了`` from a guardian of three) is kept,
so the caller can ask which children rather than clear them all.

Found by a breaker (fix6o): ``找到了，满脸是血`` went to the parents as "没事了" — no list of harm words is ever
complete. A message of several clauses is an all clear only when every clause is an all clear or a benign addition
(:mod:`bot.flows.all_clear_more`: ``在奶奶家``, ``谢谢``, ``at grandma's``); anything else goes out in full.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.domain import child_mentions
from bot.domain.child_mentions import latin_forms
from bot.domain.emergency_words import emergency_kind
from bot.domain.traditional import simplified
from bot.flows import all_clear_more
from bot.flows import words as everyday
from bot.flows.checkin_all import ALL_WORDS, WHO_WORDS

# A new-user trial (fix6s) wrote 杨秀云已经平安了 and 孩子已经回来了: "already" adds nothing to the news, and
# the child said as 孩子 or "the child" is the writer's child, as a bare 平安 is.
_ALREADY = re.compile(r"已经|已|already", re.IGNORECASE)
_SUBJECT = re.compile(r"^(?:孩子|小孩|娃娃|娃|the child\b|the kid\b)\s*", re.IGNORECASE)
# Between two names: 秀云和刘帅都没事了.
_AND = re.compile(r"和|跟|与|还有|\band\b")
# The first clause (找到了，在邻居家 → 找到了): the news comes first, the details after.
_CLAUSE = re.compile(r"[，,。;；!！\n]")
# Words that say a child is not all right after all (找到了，但是腿摔断了): hurt, in care, dead or dying, hit,
# gone again, in the water, with the police or taken (breaker3 D1; fix6k D3: 没气了, 人不行了, 被打了, 又不见了,
# 在卫生院输液, 在ICU, 在河里, 在派出所, 人贩子, in the ER, she was beaten). A false alarm only sends the words in
# full to those handling the incident; a miss tells the parents far away that their child is fine.
HURT = re.compile(r"伤|摔|断|医院|抢救|急诊|住院|流血|出血|撞|发烧|发热|疼|痛|晕|吐|骨折|昏|"
                  r"没气|断气|不行了|(?<!吓)(?<!急)(?<!累)(?<!气)(?<!困)(?<!饿)死|呼吸|心跳|不醒|叫不醒|"
                  r"被.{0,3}打|挨打|打了她|打了他|打她|打他|揍|踢|欺负|侵|"
                  r"不见|又丢|又跑|跑了|走丢|"
                  r"输液|吊瓶|吊针|点滴|打针|诊所|卫生院|卫生所|卫生室|医务室|icu|重症|监护室|急救|120|"
                  r"河里|水里|井里|塘里|水库|淹|溺|落水|掉进|"
                  r"派出所|警察|公安|110|人贩|拐|绑|带走|陌生人|坏人|"
                  r"\b(?:hurt|bleeding|blood|hospital|injur\w*|broken?|sick|ill|fever|pain|icu|the er|a&e|emergency|"
                  r"intensive|clinic|drip|doctor|ambulance|dead|died|dying|breathing|unconscious|beaten|beat|hit|"
                  r"attacked|abused|(?:missing|lost|gone) again|ran away|river|in the water|pond|drowned|drowning|"
                  r"police|kidnapped|abducted|trafficker\w*|stranger)\b")
_BUT = re.compile(r"但是|可是|不过|就是|只是|\b(?:but|however|though)\b")
# A count of children: 两个孩子, 二个娃, 俩孩子, 孩子俩, 三个都, both, two of them.
_COUNT_ZH = re.compile(r"(两|二|三|四)个?(?:孩子|小孩|娃|都)|(俩|仨)")
_COUNT_EN = re.compile(r"\b(both|two|three|four)\b")
_NUMBERS = {"两": 2, "二": 2, "俩": 2, "三": 3, "仨": 3, "四": 4, "both": 2, "two": 2, "three": 3, "four": 4}
# English words for "them" that go with a count (both kids, the two of them): set aside like the names.
_THEM_EN = re.compile(r"\b(both|two|three|four|of|them|the|kids|children|all)\b")


@dataclass(frozen=True)
class Said:
    """An all clear and the children it may be about.

    Attributes:
        child_ids: the children named, else every child of the family (``没事了``, ``孩子都没事了``).
        plain: the words (names aside) are the catalog's all clear (``没事了``), not only "fine" (``很好``).
        named: the words name the children (``杨秀云没事了``, ``Xiuyun is fine``), not "she" or nobody.
        together: the words speak of all of them (``孩子都没事了``, ``both are fine``).
        count: how many children the words count (``两个孩子都没事了``: 2), None when they count none.
    """

    child_ids: tuple[int, ...]
    plain: bool
    named: bool = False
    together: bool = False
    count: int | None = None


# A clause with what ends it (刘帅没事了， / 婷婷还没找到): a message about two children is read clause by clause.
_PIECE = re.compile(r"[^，,。;；!！\n]+[，,。;；!！\n]*")


def per_child(typed: str, children: Sequence[tuple[int, str]]) -> list[tuple[int, str]] | None:
    """``typed`` cut into each child's words when its clauses name different children; None otherwise (fix6g).

    ``刘帅没事了，婷婷还没找到`` → ``[(刘帅, "刘帅没事了"), (婷婷, "婷婷还没找到")]``: a clause naming a child
    is that child's, and so are the clauses after it that name nobody (``婷婷找到了，在邻居家``); the clauses
    before the first name go with the first child named. A clause naming two (``刘帅和婷婷都找到了``) is both's.
    One clause, or every clause naming the same children, is no split (:func:`said` reads it whole).

    Args:
        typed: the words as typed.
        children: the writer's children, id and name.

    Returns:
        Each child's words (clauses in the order typed, the last one's punctuation dropped), children in the
        order first named; None when the message does not speak of different children in different clauses.
    """
    pieces = [piece for piece in _PIECE.findall(commas(typed.strip(), children)) if piece.strip()]
    if len(pieces) < 2:
        return None
    words: dict[int, list[str]] = {}
    named_sets: set[tuple[int, ...]] = set()
    current: tuple[int, ...] = ()
    leading: list[str] = []
    for piece in pieces:
        ids = tuple(child_mentions.named(piece, children))
        if ids:
            named_sets.add(ids)
            for child_id in ids:
                words.setdefault(child_id, []).extend([*leading, piece])
            leading, current = [], ids
        elif current:
            for child_id in current:
                words[child_id].append(piece)
        else:
            leading.append(piece)
    if len(named_sets) < 2 or len(words) < 2:
        return None
    return [(child_id, "".join(said_of).strip().rstrip("，,。;；!！").strip()) for child_id, said_of in words.items()]


# A clause's end without its comma: 刘帅没事了婷婷还没找到, 刘帅找到了婷婷呢 (the particle that ends a sentence).
_ENDS = re.compile(r"(?:[了啦呢吗吧的啊呀哦喔嘛]|没找到|没回来|没回家|没事|很好|平安)$")


def commas(typed: str, children: Sequence[tuple[int, str]]) -> str:
    """``typed`` with a comma where an unpunctuated clause about one child ends and one about another begins.

    ``刘帅没事了婷婷还没找到`` → ``刘帅没事了，婷婷还没找到`` (fix6l): a grandmother typing on a phone leaves the
    comma out. Only before a name of another child, right after words that end a sentence (``了``, ``呢`` …);
    names joined (``刘帅和婷婷都找到了``) or one child doing something to another (``刘帅找到婷婷了``) stay whole.
    """
    by_form: dict[str, set[int]] = {}
    for child_id, name in children:
        for form in child_mentions.forms(name):
            by_form.setdefault(form, set()).add(child_id)
    found: list[tuple[int, int, int]] = []  # (start, end, child) of each name, longest forms first
    taken = [False] * len(typed)
    for form in sorted(by_form, key=len, reverse=True):
        if len(by_form[form]) != 1:
            continue  # a form shared by two children names neither
        for hit in re.finditer(re.escape(form), typed):
            if not any(taken[hit.start():hit.end()]):
                taken[hit.start():hit.end()] = [True] * len(form)
                found.append((hit.start(), hit.end(), next(iter(by_form[form]))))
    found.sort()
    cuts = [start for (_s, end, before), (start, _e, child) in zip(found, found[1:], strict=False)
            if child != before and _ENDS.search(typed[end:start]) and not _CUT.search(typed[end:start])]
    for cut in reversed(cuts):
        typed = f"{typed[:cut]}，{typed[cut:]}"
    return typed


# Between two names, no clause ends: punctuation already there, or a word joining them (和, 跟 …).
_CUT = re.compile(r"[，,。;；!！\n、]|和|跟|与|还有|\band\b")


def first_clause(typed: str) -> str:
    """The words up to the first comma or full stop (``找到了，在邻居家`` → ``找到了``)."""
    return _CLAUSE.split(typed.strip(), maxsplit=1)[0].strip()


def count(typed: str) -> int | None:
    """How many children ``typed`` counts (``两个孩子都没事了``: 2, ``both are fine``: 2), None when none."""
    folded = simplified(typed).casefold()
    found = _COUNT_ZH.search("".join(folded.split())) or _COUNT_EN.search(folded)
    return None if found is None else _NUMBERS[next(g for g in found.groups() if g)]


def said(locale: str, typed: str, children: Sequence[tuple[int, str]]) -> Said | None:
    """The all clear in ``typed`` about the family's ``children`` (id, name); None when the words are none.

    The whole message, else its first clause (``找到了，在邻居家``, ``we found her, she was at the neighbour's``).

    Args:
        locale: the writer's locale (every catalog's words count, see :func:`bot.flows.words.words`).
        typed: the words as typed.
        children: the writer's children, id and name.
    """
    whole = _said(locale, typed, children)
    first = first_clause(typed)
    clauses = [clause.strip() for clause in all_clear_more.CLAUSES.split(typed.strip()) if clause.strip()]
    if whole is not None or not first or len(clauses) < 2:
        return whole
    rest = f"{typed.strip()[len(first):]} {' '.join(clauses[1:])}"  # 找到了在河里: no comma, still the rest
    folded = simplified(rest).casefold().replace("’", "'")
    cleared = all_clear_more.RECOVERED.sub(" ", folded)  # 烧退了, the fever is gone: no fever (fix6av)
    if emergency_kind(cleared) is not None or HURT.search(cleared) or _BUT.search(folded):
        return None  # 找到了，在医院抢救: the rest is harm, the family's words go out in full (breaker3 D1)
    found: Said | None = None
    rated = False
    for clause in clauses:
        this = _said(locale, clause.replace("也", ""), children)  # 婷婷也找到了: 也 says nothing
        if this is None and not all_clear_more.benign(clause, children):
            return None  # 找到了，满脸是血: whatever is not an all clear or benign goes out in full (fix6o)
        found = found or this
        # 婷婷没事了，很好: the week's "很好" beside it makes it the check-in's words, no news (fix6u's rule, fix6ab)
        rated = rated or (this is not None and not this.plain) or (
            everyday.fold(clause) in everyday.words(locale, "good") and not _clear(locale, clause))  # not 好好的
    return replace(found, plain=False) if found is not None and rated else found


def _said(locale: str, typed: str, children: Sequence[tuple[int, str]]) -> Said | None:
    every = tuple(child_id for child_id, _name in children)
    counted = count(typed)
    if _clear(locale, typed) or _clear(locale, _SUBJECT.sub("", typed.strip())):
        return Said(every, plain=True)
    spaced = simplified(" ".join(typed.split())).casefold()
    latin: list[int] = []
    for child_id, name in children:  # Xiuyun is fine now: the child named in pinyin, longest spelling first
        for form in sorted(latin_forms(name), key=len, reverse=True):
            if re.search(rf"\b{re.escape(form)}\b", spaced):
                latin.append(child_id)
                spaced = re.sub(rf"\b{re.escape(form)}\b", " ", spaced)
    found = set(child_mentions.named(typed, children)) | set(latin)
    named = [child_id for child_id in every if child_id in found]
    if counted is not None:  # both kids are fine, the two of them are back: "them" is set aside like a name
        spaced = _THEM_EN.sub(" ", spaced)
    rest = "".join(spaced.split())
    forms = {form for _child_id, name in children for form in child_mentions.forms(name)}
    for form in sorted(forms, key=len, reverse=True):  # 杨秀云 before 秀云: nothing of a name is left over
        rest = rest.replace(form, " ")
    said_all = bool(ALL_WORDS.search(rest)) or bool(re.search(r"\b(both|all)\b", rest)) or counted is not None
    if not named and not said_all:
        return None  # 很好 alone is the week's rating, as before
    rest = ALL_WORDS.sub(" ", _AND.sub(" ", WHO_WORDS.sub(" ", rest)))
    rest = re.sub(r"\ball\b", " ", rest)
    if not everyday.fold(rest):
        return None  # a name alone (秀云) says nothing of how the child is
    ids = tuple(named) or every
    if _clear(locale, rest) and not _rating(locale, rest):
        return Said(ids, plain=True, named=bool(named), together=said_all, count=counted)
    if everyday.matches(locale, "good", rest) or _rating(locale, rest):
        return Said(ids, plain=False, named=bool(named), together=said_all, count=counted)
    return None


# "is" / "are" / "'s" before how the child is: Liu Shuai is fine, shuai's ok, both are fine (spaces gone).
_COPULA = re.compile(r"^(?:is|are|['’]s)(?=\w)")


def _rating(locale: str, rest: str) -> bool:
    """Whether ``rest`` (a child's name set aside) rates the child as the week's answer would: ``is fine``.

    ``Liu Shuai is fine`` is ``刘帅很好`` in English: how the child is, not news that he is safe (fix6u's rule,
    fix6ab). The English catalog lists ``is fine`` and ``is ok`` among its all clears for ``she is fine now``;
    named, they rate. ``is safe``, ``is back``, ``is fine now`` stay the news they are.
    """
    rest = "".join(rest.split())
    bare = _COPULA.sub("", rest)
    return bare != rest and not _clear(locale, bare) and any(
        everyday.matches(locale, kind, bare) for kind in ("good", "week_ok"))


def _clear(locale: str, words: str) -> bool:
    """Whether ``words`` are an all clear of the catalog, ``已经``/``already`` aside (``已经平安了``, fix6s)."""
    return everyday.matches(locale, "all_clear", words) or everyday.matches(
        locale, "all_clear", _ALREADY.sub(" ", words))
