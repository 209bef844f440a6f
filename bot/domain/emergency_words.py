"""Whether a message says "emergency" (issue 6: a grandparent's ``救命`` at night never waits).

Pure rules over clear tables per kind, Chinese and English side by side,
matched whatever the writer's language:

* a word counts when it is *contained* in a longer message (``孩子发高烧抽筋了``);
  traditional characters count as simplified (``孩子發高燒``); the child's
  name or nickname counts as ``孩子`` (the caller passes the forms);
* not when it is negated just before it (``不紧急``, ``没有出血``, ``防溺水``,
  ``not urgent``), nor when the message says all is well again (``没事了``,
  ``烧退了``, ``false alarm``), nor (for a medical word) when the clause is
  about somebody else (``奶奶高烧住院了``, ``村里有个孩子溺水了``, ``我手指出血了``);
* slips: the same pinyin typed with another character in the few words of
  :data:`SLIP_WORDS` (``救名``, ``呼吸困南``), two neighbouring characters
  swapped in a Chinese word of three characters or more (``发烧高``), and one
  letter wrong, missing, extra or swapped in the long English words of
  :data:`ENGLISH_SLIP_WORDS` (``emergancy``). No arbitrary character is
  tolerated: ``孩子睡了`` is one character from ``孩子丢了``.

Precision matters more than recall for weak words (``urgent``, ``很急``): a
false alarm tells a teacher "call 110" at night. Strong words (``救命``,
``抽筋``, ``昏迷``, the child ``不见了``, ``SOS``, ``🆘``) always count.

Linear: every kind is one compiled alternation (slips precomputed) and only the
first :data:`SCAN_LIMIT` characters are read (messages are kept to 1,000).
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from functools import cache

from pypinyin.pinyin_dict import pinyin_dict

from bot.domain import hurt_words, stranded_words
from bot.domain.traditional import simplified


class EmergencyKind(StrEnum):
    """What to do first: 120 medical, 119 fire, 110 police or a missing child."""

    MEDICAL = "medical"
    FIRE = "fire"
    POLICE = "police"
    HARM = "harm"  # a child hurt by someone: beaten, bullied (bot.domain.hurt_words)
    HELP = "help"  # a sick child nobody can get to a doctor (bot.domain.stranded_words)
    URGENT = "urgent"  # urgent, kind not said (``紧急``, ``救命``, ``SOS``)


SCAN_LIMIT = 1000
"""Characters read: a family message is kept to 1,000 characters anyway."""

_KIN = "(?:孩子|小孩|娃娃|娃|外孙女|外孙|孙子|孙女|儿子|女儿|闺女)"
"""How a family names the child it writes about (the child's own name is read as 孩子)."""
_END = r"(?=$|[^\u4e00-\u9fff]|[啊呀啦吧哦哟]|怎么办|快|找|老师|到处)"
"""After 孩子丢了: the end of what is said, not the thing lost (孩子丢了钥匙)."""
_ILL = "(?:发烧|发热|烧|病|伤|疼|痛|吐|拉肚子)"
"""What a child's illness or injury is called before how bad it is (烧得厉害, 病得很重)."""
_STOP = "，,。.！!？?；;"

LATE: tuple[str, ...] = (
    rf"{_KIN}.{{0,3}}(?:还|仍|仍然|一直|到现在|现在)?(?:都)?(?:没|没有|未)(?:回家|回来|到家)",
    rf"联系不上(?:我家)?{_KIN}", rf"{_KIN}.{{0,2}}联系不上", rf"{_KIN}.{{0,3}}(?:电话)?(?:打不通|没人接)",
)
"""A child not home (孩子还没回家, 联系不上孩子): a missing child only after dark (the caller says when it is)."""

BARE_NUMBERS = {"120": "medical", "119": "fire", "110": "police"}
"""A bare emergency number typed by a family member (``120``, ``１２０``): the emergency itself, never an answer."""
_BARE = re.compile(r"(?:打|拨|叫|call ?)?(110|119|120) ?[!.]*")

WORDS: dict[EmergencyKind, tuple[str, ...]] = {
    EmergencyKind.MEDICAL: (
        "抽筋", "抽搐", "抽风", "昏迷", "晕倒", "昏倒", "不省人事", "发高烧", "高烧", "烧到40", "烧到39",
        "烧到41", "出血", "流血", "吐血", "大出血", "溺水", "掉水里", "掉河里", "掉井里", "掉塘里", "掉进井",
        "掉进河", "掉进水", "被水冲走", "呼吸困难", "喘不上气", "没有呼吸", "没呼吸", "不会呼吸", "不能呼吸",
        "口吐白沫", "叫不醒", "喝了农药", "喝农药", "敌敌畏", "百草枯", "老鼠药", "吞了药", "误吞",
        "误食", "骨折", "车祸", "被车撞", "被狗咬", "蛇咬", "触电", "烧伤", "烫伤", "救护车", "摔下来",
        "从楼上摔", "摔伤", "自杀", "割腕", "跳河", "跳楼", "不想活了", "打120", "叫120", "拨120",
        "抢救", "重症监护",  # 找到了，在医院抢救 / 送去抢救了: found, but fighting for life (fix6g)
    ),
    EmergencyKind.FIRE: ("着火了", "失火", "火灾", "起火了", "打119", "拨119"),
    EmergencyKind.POLICE: (
        "失踪", "走丢", "被拐", "拐走", "被人带走", "离家出走", "一夜没回", "一晚上没回", "整夜没回", "报警",
        "打110", "拨110", "绑架",
    ),
    EmergencyKind.HARM: (), EmergencyKind.HELP: (),
    EmergencyKind.URGENT: ("紧急", "救命", "救救", "十万火急", "出事了", "快来人", "求救", "🆘"),
}
"""Plain words per kind (folded; slips of :data:`SLIP_WORDS` and swaps added when compiled)."""

PATTERNS: dict[EmergencyKind, tuple[str, ...]] = {
    EmergencyKind.MEDICAL: (
        r"急救(?!知识|常识|培训|课|包|箱|演练)", rf"{_KIN}.{{0,4}}淹(?:了|着|死)", rf"{_KIN}.{{0,3}}不醒了",
        rf"{_KIN}.{{0,3}}没(?:有)?气了",
        r"(?<!游戏)(?<!手机)(?<!电脑)(?<!网络)(?<!网游)中毒",  # 游戏中毒: hooked on games
        r"(?<![a-z])icu(?![a-z])",  # 在ICU: intensive care, never inside an English word (fix6g)
        r"流了(?:好多|很多|一地)血", r"吃了.{0,3}药.{0,4}(?:晕|吐|不醒)",
        rf"{_ILL}[^不没无{_STOP}]{{0,4}}(?:很|太|非常|特别|好|挺|越来越)严重",  # 孩子发烧了很严重 (not 不严重)
        rf"{_ILL}得(?:很|太|非常|特别|好|挺|越来越)?(?:重|厉害|严重|不行)",  # 病得很重, 烧得厉害 (not 病得不重)
        r"病(?:得|的)?(?:很|太|非常|特别)重", r"病重",
        # 婷婷发烧了，39度 / 发热39.5℃: a high fever however it is worded (a trial's "发烧了，39度" waited till 07:00
        # while 烧到39 went at once); 38 and below is no emergency.
        r"(?:发烧|发热|烧|体温)[^不没无]{0,6}?(?<![\d.])(?:39|4[0-2])(?:\.\d)?\s*(?:度|℃|°)",
    ),
    EmergencyKind.POLICE: (
        rf"(?:{_KIN}|人|他|她)(?:又|也|突然)?不见(?:了|啦)", rf"找不(?:到|着)(?:我家)?{_KIN}",
        rf"{_KIN}(?:又|也)?找不(?:到|着)(?:了|啦)", rf"{_KIN}(?:又|也)?丢(?:了|啦){_END}",
    ),
    EmergencyKind.FIRE: (),
    EmergencyKind.HARM: hurt_words.CHINESE, EmergencyKind.HELP: stranded_words.CHINESE,
    EmergencyKind.URGENT: (),
}
"""Patterns (regular expressions over the folded text, no slips): the child plus 不见/丢/找不到, qualified words."""

SLIP_WORDS = frozenset({"救命", "紧急", "求救", "呼吸困难", "发高烧", "不省人事", "喘不上气", "口吐白沫", "救护车",
                        "十万火急", "离家出走"})
"""Words whose same-pinyin slip (``救名``, ``呼吸困南``) counts: other words' homophones are everyday words
(``溺水`` ~ ``泥水``, ``出事了`` ~ ``出世了``, ``快来人`` ~ ``会来人``)."""

EXCLUDED_AFTER: dict[str, tuple[str, ...]] = {
    "紧急": ("通知", "寒潮", "预警", "会议", "演练", "疏散", "联系人", "电话"),
    "报警": ("器", "电话是"), "救救": ("急",),
    "溺水": ("教育", "安全", "知识"), "自杀": ("新闻",), "火灾": ("演练", "隐患"),
    "抢救": ("知识", "常识", "培训", "演练", "课"),
}
"""A word followed by these is about something else (``紧急通知收到了``, ``防溺水教育``)."""

NEGATIONS: tuple[str, ...] = ("不是", "并不", "不太", "不算", "没有", "不用", "不", "没", "别", "无", "非", "未", "防",
                              "预防")
"""Chinese words that negate (or prevent) the word right after them (``不紧急``, ``没有出血``, ``防溺水``)."""

ALL_CLEAR: tuple[str, ...] = (
    "没事了", "没事儿了", "已经没事", "了没事", "不急", "不要紧", "已经好了", "今天好了", "现在好了", "好多了",
    "找到了", "虚惊一场", "不用担心", "烧退了", "退烧了", "已经退了",
    "no rush", "not urgent", "false alarm", "all fine now", "all good now", "is fine now", "found him", "found her",
)
"""Phrases that say all is well again: the message is no emergency (it still reaches the teacher as usual)."""
WEAK_ALL_CLEAR = frozenset({"不急", "不要紧", "no rush", "not urgent"})
"""All clears that say "no hurry", not "all is well": they never cancel a medical or police word."""
_QUESTION = re.compile(r"\s*(?:吗|么|嘛|\?|没有?(?=$|[\s?。，,.!;；]))")

OTHERS = ("我", "奶奶", "爷爷", "外婆", "外公", "姥姥", "姥爷", "妈妈", "爸爸", "老人", "老伴", "村里", "邻居", "有人",
          "别人", "同学", "大人", "新闻", "电视")
"""Whom a medical word may be about instead of the child: then it needs the child named after them."""
_OTHER_CHILD = re.compile(r"(?:有个|有一个|一个|别的|别人家的?|邻居家的?)(?:孩子|小孩|娃)")
_CLAUSE = re.compile(r"[，,。.！!？?；;\n]")

ENGLISH: dict[EmergencyKind, tuple[str, ...]] = {
    EmergencyKind.MEDICAL: (
        "ambulance", "unconscious", "fainted", "seizures?", "convulsions?", "high fever", "icu", "intensive care",
        r"resuscitat\w*",
        r"fever (?:of )?(?:39|40|41)(?:\.\d)?", "bleeding (?:badly|heavily|a lot)", "drowning", "drowned",
        "not breathing", "poisoned", "poisoning", "broken bone", "car accident", "hit by a car", "call 120",
    ),
    EmergencyKind.FIRE: ("on fire", "there is a fire", "there's a fire", "fire !", "call 119"),
    EmergencyKind.POLICE: (
        "missing child", r"(?:child|kid|son|daughter|grandson|granddaughter|boy|girl) (?:is |has |has gone |went )?"
        r"missing", "went missing", "gone missing", "can(?:not|'t) find (?:him|her|my "
        r"(?:child|kid|son|daughter|grandson|granddaughter))", "kidnapped", "abducted", "call (?:the )?police",
        "call 110", "ran away from home",
    ),
    EmergencyKind.HARM: hurt_words.ENGLISH, EmergencyKind.HELP: stranded_words.ENGLISH,
    EmergencyKind.URGENT: (
        "sos", r"emergency(?! (?:meeting|contact|number|drill|plan|exit|kit|notice))(?! \?)", r"urgent(?! \?)",
        "help !", r"help me(?= !|$| please| now| quick)", r"please help(?= !|$| me !| me$| me please| us| now)",
        "need help now", "help us",
    ),
}
"""English patterns over the folded words (joined by one space; ``!`` and ``?`` are words of their own)."""

ENGLISH_SLIP_WORDS = ("emergency", "ambulance", "unconscious", "convulsion", "kidnapped", "abducted")
"""Long words whose one-letter slip (``emergancy``, ``unconscous``) counts: no English word is that close."""

ENGLISH_NEGATIONS = frozenset({"not", "no", "nothing", "isn't", "isnt", "never", "non", "without", "wasn't"})
"""English words that negate the word after them, one or two words before it (``not an emergency``)."""

_ORDER = (EmergencyKind.FIRE, EmergencyKind.MEDICAL, EmergencyKind.POLICE, EmergencyKind.HARM, EmergencyKind.HELP,
          EmergencyKind.URGENT)
_LATIN = re.compile(r"[a-z0-9'.]+|[!?]")


def fold(typed: str) -> str:
    """NFKC, case-folded, simplified, spaces collapsed, cut to :data:`SCAN_LIMIT`: ``ＳＯＳ！`` → ``sos!``.

    Traditional characters through OpenCC (:func:`bot.domain.traditional.simplified`): every character, not
    only those of the words above (``孩子暈過去了``). Called on every message, so kept cheap: ASCII text is
    returned at once, short texts are cached, only the head read anyway is converted.
    """
    head = unicodedata.normalize("NFKC", typed[:SCAN_LIMIT * 2]).casefold()
    return " ".join(simplified(head).split())[:SCAN_LIMIT]


def bare_number_kind(typed: str) -> EmergencyKind | None:
    """The kind of a bare ``110`` / ``119`` / ``120`` (full-width too, ``打120！``), else None.

    No question has 110 choices: a family member typing one of these numbers means the emergency
    (the caller decides whose typing counts: a staff member's 120 may be an answer).
    """
    hit = _BARE.fullmatch(fold(typed))
    return EmergencyKind(BARE_NUMBERS[hit.group(1)]) if hit else None


def emergency_kind(typed: str, names: tuple[str, ...] = (), *, late: bool = False) -> EmergencyKind | None:
    """The most pressing kind of emergency ``typed`` speaks of, or None (fire, medical, police, urgent).

    Fire first: its advice (119, get out) also says 120 for anyone hurt.

    Args:
        typed: the message as written (only its first :data:`SCAN_LIMIT` characters are read).
        names: the forms of the writer's children's names (``杨秀云``, ``秀云``, ``帅帅``): each is read
            as ``孩子``, so ``秀云不见了`` says ``孩子不见了``.
        late: whether it is dark where the writer is: then a child not home (:data:`LATE`) is missing.
    """
    text = fold(typed)
    for name in sorted({fold(n) for n in names if n.strip()}, key=len, reverse=True):
        text = text.replace(name, "孩子")
    if not text:
        return None
    # An all clear cancels only the emergency words before it (孩子刚才抽筋，现在没事了), never those after
    # (没事了。孩子不见了), never as a question (救命！秀云找到了吗), and 不急 never a sick or missing child.
    strong, weak = _all_clear_end(text, strong=True), _all_clear_end(text, strong=False)
    kind = _kind(text[strong:] if strong is not None else text, late=late)
    if kind is None or weak is None or kind in (EmergencyKind.MEDICAL, EmergencyKind.POLICE, EmergencyKind.HARM):
        return kind
    return _kind(text[weak:], late=late)


def _all_clear_end(text: str, *, strong: bool) -> int | None:
    """Where the last all clear of ``text`` that is no question ends (``strong``: other than 不急/不要紧), else None."""
    ends = [hit.end() for phrase in ALL_CLEAR if (phrase in WEAK_ALL_CLEAR) is not strong
            for hit in re.finditer(re.escape(phrase), text) if not _QUESTION.match(text, hit.end())]
    return max(ends, default=None)


def _kind(text: str, *, late: bool) -> EmergencyKind | None:
    """The most pressing kind ``text`` speaks of, all clears aside (see :func:`emergency_kind`)."""
    spaceless = _OTHER_CHILD.sub("有人", text.replace(" ", ""))
    latin = " ".join(_canonical(t) for t in _LATIN.findall(text))
    own = " ".join(_canonical(t) for clause in _CLAUSE.split(text) if not _latin_about_someone_else(clause)
                   for t in _LATIN.findall(clause))
    for kind in _ORDER:
        if _cjk_says(kind, spaceless) or _latin_says(kind, own if kind is EmergencyKind.MEDICAL else latin):
            return kind
    if late and _cjk_says(None, spaceless):
        return EmergencyKind.POLICE
    return None


def is_emergency(typed: str, names: tuple[str, ...] = ()) -> bool:
    """Whether ``typed`` speaks of an emergency (:func:`emergency_kind` is not None)."""
    return emergency_kind(typed, names) is not None


def _cjk_says(kind: EmergencyKind | None, text: str) -> bool:
    """Whether ``kind``'s words (None: the :data:`LATE` ones) are said, not negated, about the child."""
    for hit in (_late_regex() if kind is None else _cjk_regex(kind)).finditer(text):
        start = hit.start()
        if any(text[:start].endswith(neg) for neg in NEGATIONS):
            continue
        if kind is EmergencyKind.MEDICAL and _about_someone_else(text, start):
            continue
        return True
    return False


def _about_someone_else(text: str, start: int) -> bool:
    """Whether the clause before a medical word names another person and not the child after them."""
    clause = _CLAUSE.split(text[:start])[-1]
    other = max((clause.rfind(o) + len(o) for o in OTHERS if o in clause), default=-1)
    if other < 0:
        return False
    return re.search(_KIN, clause[other:]) is None


_OTHERS_EN = re.compile(r"\b(?:grandma|granny|grandmother|grandpa|grandfather|my (?:mother|mum|mom|father|dad|"
                        r"wife|husband)|her (?:grandma|grandpa)|his (?:grandma|grandpa))\b")
_CHILD_EN = re.compile(r"孩子|\b(?:she|he|child|kid|son|daughter|grandson|granddaughter|boy|girl)\b")


def _latin_about_someone_else(clause: str) -> bool:
    """Whether the Latin words of a clause (``ICU`` in ``奶奶在ICU``, ``grandma is in the ICU``) are of another.

    ``奶奶在ICU``: the grandmother is in intensive care, not the child (fix6l): the clause names another person
    (:data:`OTHERS`) before its first Latin word and not the child after them. Unclear is the child: ``在ICU``,
    ``奶奶说孩子在ICU``, ``grandma says she is in the ICU`` stay emergencies.
    """
    first = _LATIN.search(clause)
    if first is None:
        return False
    if _about_someone_else(clause[:first.start()].replace(" ", ""), len(clause[:first.start()].replace(" ", ""))):
        return True
    other = _OTHERS_EN.search(clause)
    return other is not None and _CHILD_EN.search(clause, other.end()) is None and not re.search(_KIN, clause)


def _latin_says(kind: EmergencyKind, latin: str) -> bool:
    for hit in _latin_regex(kind).finditer(latin):
        before = latin[:hit.start()].split()[-2:]
        if not ENGLISH_NEGATIONS & set(before):
            return True
    return False


@cache
def _late_regex() -> re.Pattern[str]:
    return re.compile(f"(?=(?:{'|'.join(LATE)}))")


@cache
def _cjk_regex(kind: EmergencyKind) -> re.Pattern[str]:
    """One alternation per kind, zero-width so overlapping hits are all seen (a negated one, then a plain one)."""
    alternatives = [*PATTERNS[kind]]
    for word in WORDS[kind]:
        after = EXCLUDED_AFTER.get(word, ())
        guard = f"(?!{'|'.join(map(re.escape, after))})" if after else ""
        alternatives += [f"{variant}{guard}" for variant in _variants(word)]
    return re.compile(f"(?=(?:{'|'.join(alternatives)}))")


def _variants(word: str) -> list[str]:
    """The word, its neighbour swaps (three characters or more) and its same-pinyin slips, as regexes."""
    found = [re.escape(word)]
    if len(word) >= 3 and not word.isascii():
        for i in range(len(word) - 1):
            if word[i] != word[i + 1] and not (word[i].isascii() or word[i + 1].isascii()):
                found.append(re.escape(word[:i] + word[i + 1] + word[i] + word[i + 2:]))
    if word in SLIP_WORDS:
        for i, ch in enumerate(word):
            others = _homophones(ch)
            if others:
                found.append(f"{re.escape(word[:i])}[{others}]{re.escape(word[i + 1:])}")
    return found


_COMMON = frozenset("子了不的孩到人上我你他她是有在去来好见找没一个儿女孙娃")
"""Characters never taken as a slip: one of them changed makes everyday Chinese."""


@cache
def _readings() -> dict[str, set[str]]:
    """Toneless pinyin → the common-block characters read so (``ming`` → 命名明鸣…)."""
    by: dict[str, set[str]] = {}
    for code, read in pinyin_dict.items():
        if 0x4E00 <= code <= 0x9FA5:
            for one in read.split(","):
                by.setdefault(_toneless(one), set()).add(chr(code))
    return by


def _toneless(reading: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", reading) if not unicodedata.combining(c))


def _homophones(ch: str) -> str:
    """The characters read like ``ch`` (any tone), ``ch`` and the common ones left out, as a regex class body."""
    if ch in _COMMON or ord(ch) not in pinyin_dict:
        return ""
    same: set[str] = set()
    for one in pinyin_dict[ord(ch)].split(","):
        same |= _readings().get(_toneless(one), set())
    return "".join(sorted(same - {ch} - _COMMON))


@cache
def _latin_regex(kind: EmergencyKind) -> re.Pattern[str]:
    return re.compile(f"(?<![\\w'])(?:{'|'.join(ENGLISH[kind])})(?![\\w'])")


@cache
def _slips() -> dict[str, str]:
    """Every one-letter slip of :data:`ENGLISH_SLIP_WORDS` → the word (precomputed once)."""
    found: dict[str, str] = {}
    letters = "abcdefghijklmnopqrstuvwxyz"
    for word in ENGLISH_SLIP_WORDS:
        for i in range(len(word) + 1):
            found.update({word[:i] + c + word[i:]: word for c in letters})
            if i < len(word):
                found[word[:i] + word[i + 1:]] = word
                found.update({word[:i] + c + word[i + 1:]: word for c in letters})
            if i < len(word) - 1:
                found[word[:i] + word[i + 1] + word[i] + word[i + 2:]] = word
    return found


def _canonical(token: str) -> str:
    token = token.strip(".")
    return _slips().get(token, token)
