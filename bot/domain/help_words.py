"""What kind of help words typed at "what kind of help?" ask for (the weekly check-in's follow-up).

A grandparent who answered "needs help" often writes the need instead of
tapping its kind: ``孩子发烧了`` is health, ``作业不会做`` study, ``同学欺负他``
safety. The helper teacher's task shows the kind, with the words as the note.
The kinds are read in a fixed order, money first: ``钱不够买药`` is a money worry,
though it names medicine (a family that cannot pay for the medicine needs the
school's aid, not only a doctor's advice); then safety, the most pressing of the
others (``被同学打了，不想上学`` is safety, not study); then health, then study.
Anything not listed stays "other".

Pure rules over clear tables, one per kind, Chinese and English side by side,
matched whatever the writer's language: a word counts when it is contained in
the message (traditional characters read as simplified, ``錢不夠``, ``發燒``), not
when a negation comes just before it (``不缺钱``, ``不发烧了``, ``没发烧``, ``沒有發燒``,
``不再发烧``, ``没被欺负``, ``不是钱的问题``; ``no fever``, ``he doesnt have a fever``,
``no money problem``). A question asked both ways is no negation (``是不是发烧了``,
``有没有被欺负``). Words that hold their own negation are listed whole (``不舒服``,
``不想上学``, ``不安全``), and so are needs said with 没 — what the child lacks
(``没钱买药`` is money, ``没人接送`` safety, ``没有吃的`` money): they count where
they stand, whatever the 没 in them would do to the word inside. Parents earning
away (``爸妈在外面挣钱``, ``they earn money in the city``) are no money need.
"""

from __future__ import annotations

import re

from bot.domain.emergency_words import fold as _fold
from bot.domain.traditional import simplified

MONEY_WORDS: tuple[str, ...] = (
    "钱",
    "没钱",
    "没有钱",
    "没什么钱",
    "没多少钱",
    "没学费",
    "没有学费",
    "没生活费",
    "没有生活费",
    "没有吃的",
    "没吃的",
    "没饭吃",
    "吃不饱",
    "没衣服",
    "没有衣服",
    "学费",
    "费用",
    "生活费",
    "医药费",
    "伙食费",
    "买不起",
    "交不起",
    "付不起",
    "供不起",
    "看不起病",
    "缺钱",
    "借钱",
    "欠债",
    "欠款",
    "贷款",
    "经济困难",
    "家里困难",
    "家庭困难",
    "生活困难",
    "困难补助",
    "补助",
    "低保",
    "贫困",
    "穷",
    "没收入",
    "没有收入",
    "打工没工资",
    "工资",
)
"""Chinese words of a money need (contained in the message)."""

ENGLISH_MONEY_WORDS = re.compile(
    r"\b(?:money|cash|afford|fees?|tuition|debts?|loans?|broke|wages?|income|allowance|pay for|can't pay|"
    r"cannot pay|poverty)\b"
)
"""English words of a money need (whole words of the folded message)."""

SAFETY_WORDS: tuple[str, ...] = (
    "安全", "不安全", "危险", "欺负", "欺凌", "霸凌", "打架", "被打", "挨打", "被人打", "同学打", "打伤",
    "打孩子", "打骂",
    "家暴", "虐待", "威胁", "勒索", "敲诈", "陌生人", "跟踪", "骚扰", "猥亵", "性侵", "走丢", "不见了", "离家出走",
    "跑出去", "溺水", "下河", "玩水", "游泳", "车祸", "被车", "狗咬", "被咬", "偷东西", "被偷", "被抢", "吓坏",
    "害怕", "不敢回家", "不敢上学", "没人接送", "没有人接送", "没人接", "没人管", "没有人管",
)
"""Chinese words of a safety need: harm from people, getting lost, water, roads (contained in the message)."""

HEALTH_WORDS: tuple[str, ...] = (
    "发烧", "发热", "高烧", "低烧", "烧退", "生病", "病了", "得病", "看病", "有病", "病情", "疾病", "药", "医院",
    "医生", "诊所", "卫生院", "住院", "打针", "输液", "吊针", "咳嗽", "感冒", "流鼻涕", "拉肚子", "腹泻", "呕吐",
    "吐了", "头疼", "头痛", "肚子疼", "肚子痛", "牙疼", "牙痛", "胃疼", "胃痛", "腿疼", "腿痛", "疼痛", "喊疼",
    "受伤", "摔伤", "伤口", "骨折", "过敏", "哮喘", "湿疹", "不舒服", "身体不好", "身体差", "体检", "近视",
    "眼睛", "耳朵", "牙齿", "蛀牙", "视力", "手术", "营养不良", "不吃饭", "吃不下", "睡不着", "尿床",
    "没药", "没有药", "不太舒服",
)
"""Chinese words of a health need: illness, injury, medicine, doctors (contained in the message)."""

STUDY_WORDS: tuple[str, ...] = (
    "作业", "学习", "不学习", "成绩", "考试", "考得", "分数", "功课", "辅导", "补课", "上课", "听课", "听不懂",
    "跟不上", "学不会", "不会做", "不会写", "写字", "识字", "认字", "读书", "背书", "课本", "课文", "数学", "语文",
    "英语", "不想上学", "不愿上学", "不去上学", "厌学", "逃学", "旷课", "留级", "退学", "辍学", "升学", "文具",
    "没课本", "没有课本", "没文具", "没有文具", "没书包", "没有书包", "没人辅导", "没有人辅导",
)
"""Chinese words of a study need: homework, marks, lessons, going to school (contained in the message)."""

NEGATIONS = ("不缺", "不差", "不用", "不要", "不再", "不是", "并没有", "并没", "并不", "从来没有", "从来没", "从没有",
             "从没", "没有", "没", "别", "未", "不")
"""Just before a word, these say the need is not that (``不缺钱``, ``没发烧``, ``不再发烧``, ``不是钱的问题``)."""

_NEGATED = re.compile("(?:" + "|".join(NEGATIONS).replace("别", "(?<![特区分级类性差个识辨派告])别")
                      + ")(?:被.{0,3}|再|有|怎么|什么)?$")
"""A negation ending the text before a word, maybe with 被 or 再 between (``没被同学欺负``, ``没再发烧``); 别 of
``特别害怕`` is none."""

_EARNING = re.compile("(?:挣|赚)(?:点|些)?钱(?!少|难|不够|太少)")
"""Parents earning away (``爸妈在外面挣钱``) is no money need; earning too little (``挣钱少``) is."""

ENGLISH_SAFETY_WORDS = re.compile(
    r"\b(?:safe|safety|unsafe|danger|dangerous|bull(?:y|ied|ies|ying)|beat(?:en|s|ing)?|hit(?:s|ting)?|"
    r"fights?|fighting|abuse[sd]?|abusing|threat(?:s|en|ened|ening)?|strangers?|followed|harass(?:ed|ment)?|"
    r"missing|lost|ran away|run away|runs away|drown(?:ed|ing)?|swimming|river|traffic|accident|dog bite|"
    r"stolen|robbed|scared|afraid)\b"
)
"""English words of a safety need (whole words of the folded message)."""

ENGLISH_HEALTH_WORDS = re.compile(
    r"\b(?:fever|temperature|sick|sickness|ill|illness|unwell|doctor|hospital|clinic|medicine|medication|pills?|"
    r"cough(?:s|ing)?|flu|diarrh(?:o)?ea|vomit(?:s|ed|ing)?|throwing up|asthma|allerg(?:y|ies|ic)|"
    r"(?:head|stomach|tummy|tooth|ear|back)?aches?|pain|hurts?|injur(?:y|ies|ed)|wound|broken (?:arm|leg|bone)|"
    r"eyes?|eyesight|glasses|teeth|"
    r"tooth|health|healthy|not eating|(?:isn't|isnt|won't|wont|doesn't|doesnt) eat(?:ing)?|can't sleep)\b"
)
"""English words of a health need (whole words of the folded message)."""

ENGLISH_STUDY_WORDS = re.compile(
    r"\b(?:homework|study|studies|studying|school ?work|grades?|marks|exams?|tests?|lessons?|tutor(?:ing)?|"
    r"learn(?:s|ing)?|reading|writing|maths?|chinese|english|falling behind|behind in class|can't keep up|"
    r"skips? school|skipping school|won't go to school|doesn't want to go to school|textbooks?|stationery)\b"
)
"""English words of a study need (whole words of the folded message)."""

_NO_MONEY_PROBLEM = re.compile(r"\bno (?:money|cash) (?:problems?|issues?|worries)")
_ENGLISH_NEGATION = re.compile(
    r"\b(?:no|not|never|without|isn't|isnt|is not|wasn't|wasnt|was not|doesn't|doesnt|does not|don't|dont|do not|"
    r"didn't|didnt|did not|hasn't|hasnt|has not|haven't|havent|have not|no longer|no more)\s+"
    r"(?:(?:have|has|had|got|get|gotten|a|an|any|the|his|her|feel|feeling|seem|seems|look|looks|be|been|being|"
    r"really|much|more|very|so|too|getting)\s+){0,3}$"
)
"""A negation ending the text before an English word, maybe a few words between (``doesnt have a fever``)."""
_ENGLISH_NOT_MONEY = re.compile(
    r"\b(?:not|isn't|isnt|is not|wasn't|wasnt|never)\s+(?:(?:about|a|the|really|just|because of|due to)\s+){0,2}$"
    r"|\b(?:don't|dont|doesn't|doesnt|do not|does not|didn't|didnt)\s+need\s+(?:any\s+)?$"
)
"""Before a money word, the negations that say money is not it (``not about money``). ``no money`` and
``doesn't have money`` say the family lacks it: a money need."""
_ENGLISH_EARNING = re.compile(r"\b(?:earn(?:s|ed|ing)?|mak(?:e|es|ing)|made)\s+(?:some\s+|more\s+)?money\b")
"""Parents earning away (``they earn money in the city``) is no money need (unless they cannot)."""

KINDS: tuple[tuple[str, tuple[str, ...], re.Pattern[str]], ...] = (
    ("money", MONEY_WORDS, ENGLISH_MONEY_WORDS),
    ("safety", SAFETY_WORDS, ENGLISH_SAFETY_WORDS),
    ("health", HEALTH_WORDS, ENGLISH_HEALTH_WORDS),
    ("study", STUDY_WORDS, ENGLISH_STUDY_WORDS),
)
"""Each kind (a key of ``bot.services.checkin_messages.HELP_KIND_LABELS``) with its words, in the order read."""


def fold(typed: str) -> str:
    """The message as compared: simplified, NFKC, case-folded (:func:`bot.domain.emergency_words.fold`).

    A typographic apostrophe reads as the plain one (``doesn’t``).
    """
    return _fold(simplified(typed)).replace("\u2019", "'")


def help_kind(typed: str) -> str | None:
    """The kind of help ``typed`` speaks of (``"money"``, ``"safety"``, ``"health"``, ``"study"``), else None.

    None is the caller's "other". The first kind of :data:`KINDS` whose words
    the message holds (not negated) wins: money before the rest.
    """
    folded = _english_earning(fold(typed))
    text = _EARNING.sub("挣", folded.replace(" ", ""))
    for kind, words, english in KINDS:
        if _chinese(text, words) or _english(folded, english, money=kind == "money"):
            return kind
    return None


def holds(text: str, words: tuple[str, ...]) -> bool:
    """Whether one of ``words`` is in ``text`` (folded, no spaces) without a negation just before it.

    Shared with :mod:`bot.domain.worry_words` (``没生病`` is no worry).
    """
    return _chinese(text, words)


def holds_in_english(folded: str, pattern: re.Pattern[str]) -> bool:
    """Whether ``pattern`` matches a word of ``folded`` that no negation comes just before (``not sick``)."""
    return _english(folded, pattern, money=False)


def _chinese(text: str, words: tuple[str, ...]) -> bool:
    """Whether one of ``words`` is in ``text`` without a negation just before it."""
    for word in words:
        start = text.find(word)
        while start >= 0:
            if not _negated(text[:start]):
                return True
            start = text.find(word, start + 1)
    return False


def _negated(before: str) -> bool:
    """Whether ``before`` ends with a negation — not the middle of a question asked both ways (``是不是``)."""
    hit = _NEGATED.search(before)
    if hit is None:
        return False
    said = hit.group()
    # 是不是 / 有没有 / 会不会: the verb before 不 or 没 is the one after it, a question.
    return not (hit.start() > 0 and len(said) > 1 and before[hit.start() - 1] == said[1])


def _english(folded: str, pattern: re.Pattern[str], *, money: bool) -> bool:
    """Whether ``pattern`` matches a word of ``folded`` that no negation comes just before (``no fever``)."""
    if money:  # "no money" is a need; "no money problem", "not about money" say it is not
        if _NO_MONEY_PROBLEM.search(folded):
            return False
        return any(not _ENGLISH_NOT_MONEY.search(folded[:hit.start()]) for hit in pattern.finditer(folded))
    return any(not _ENGLISH_NEGATION.search(folded[:hit.start()]) for hit in pattern.finditer(folded))


def _english_earning(folded: str) -> str:
    """``folded`` without the words of parents earning money, unless they cannot (``can't earn money``)."""
    def kept(hit: re.Match[str]) -> str:
        return hit.group() if _CANNOT.search(folded[:hit.start()]) else "earn"
    return _ENGLISH_EARNING.sub(kept, folded)


_CANNOT = re.compile(r"(?:can't|cant|cannot|can not|not|no|unable to)\s+(?:\w+\s+){0,2}$")
