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
when a negation comes just before it (``不缺钱``, ``不发烧了``; ``no money
problem``, ``no fever``). Words that hold their own negation are listed whole
(``不舒服``, ``不想上学``, ``不安全``).
"""

from __future__ import annotations

import re

from bot.domain.emergency_words import fold as _fold
from bot.domain.traditional import simplified

MONEY_WORDS: tuple[str, ...] = (
    "钱",
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
    "害怕", "不敢回家", "不敢上学",
)
"""Chinese words of a safety need: harm from people, getting lost, water, roads (contained in the message)."""

HEALTH_WORDS: tuple[str, ...] = (
    "发烧", "发热", "高烧", "低烧", "烧退", "生病", "病了", "得病", "看病", "有病", "病情", "疾病", "药", "医院",
    "医生", "诊所", "卫生院", "住院", "打针", "输液", "吊针", "咳嗽", "感冒", "流鼻涕", "拉肚子", "腹泻", "呕吐",
    "吐了", "头疼", "头痛", "肚子疼", "肚子痛", "牙疼", "牙痛", "胃疼", "胃痛", "腿疼", "腿痛", "疼痛", "喊疼",
    "受伤", "摔伤", "伤口", "骨折", "过敏", "哮喘", "湿疹", "不舒服", "身体不好", "身体差", "体检", "近视",
    "眼睛", "耳朵", "牙齿", "蛀牙", "视力", "手术", "营养不良", "不吃饭", "吃不下", "睡不着", "尿床",
)
"""Chinese words of a health need: illness, injury, medicine, doctors (contained in the message)."""

STUDY_WORDS: tuple[str, ...] = (
    "作业", "学习", "不学习", "成绩", "考试", "考得", "分数", "功课", "辅导", "补课", "上课", "听课", "听不懂",
    "跟不上", "学不会", "不会做", "不会写", "写字", "识字", "认字", "读书", "背书", "课本", "课文", "数学", "语文",
    "英语", "不想上学", "不愿上学", "不去上学", "厌学", "逃学", "旷课", "留级", "退学", "辍学", "升学", "文具",
)
"""Chinese words of a study need: homework, marks, lessons, going to school (contained in the message)."""

NEGATIONS = ("不缺", "不差", "不用", "不要", "不")
"""Just before a word, these say the need is not that (``不缺钱``, ``不用钱``; ``不`` for ``缺钱``, ``发烧``)."""

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
    r"tooth|health|healthy|not eating|can't sleep)\b"
)
"""English words of a health need (whole words of the folded message)."""

ENGLISH_STUDY_WORDS = re.compile(
    r"\b(?:homework|study|studies|studying|school ?work|grades?|marks|exams?|tests?|lessons?|tutor(?:ing)?|"
    r"learn(?:s|ing)?|reading|writing|maths?|chinese|english|falling behind|behind in class|can't keep up|"
    r"skips? school|skipping school|won't go to school|doesn't want to go to school|textbooks?|stationery)\b"
)
"""English words of a study need (whole words of the folded message)."""

_NO_MONEY_PROBLEM = re.compile(r"\bno (?:money|cash) (?:problems?|issues?|worries)")
_ENGLISH_NEGATION = re.compile(r"\b(?:no|not|never|without|isn't|isnt|wasn't|doesn't|don't|no longer)\s+$")

KINDS: tuple[tuple[str, tuple[str, ...], re.Pattern[str]], ...] = (
    ("money", MONEY_WORDS, ENGLISH_MONEY_WORDS),
    ("safety", SAFETY_WORDS, ENGLISH_SAFETY_WORDS),
    ("health", HEALTH_WORDS, ENGLISH_HEALTH_WORDS),
    ("study", STUDY_WORDS, ENGLISH_STUDY_WORDS),
)
"""Each kind (a key of ``bot.services.checkin_messages.HELP_KIND_LABELS``) with its words, in the order read."""


def fold(typed: str) -> str:
    """The message as compared: simplified, NFKC, case-folded (:func:`bot.domain.emergency_words.fold`)."""
    return _fold(simplified(typed))


def help_kind(typed: str) -> str | None:
    """The kind of help ``typed`` speaks of (``"money"``, ``"safety"``, ``"health"``, ``"study"``), else None.

    None is the caller's "other". The first kind of :data:`KINDS` whose words
    the message holds (not negated) wins: money before the rest.
    """
    folded = fold(typed)
    text = folded.replace(" ", "")
    for kind, words, english in KINDS:
        if _chinese(text, words) or _english(folded, english, money=kind == "money"):
            return kind
    return None


def _chinese(text: str, words: tuple[str, ...]) -> bool:
    """Whether one of ``words`` is in ``text`` without a negation just before it."""
    for word in words:
        start = text.find(word)
        while start >= 0:
            if not any(text[:start].endswith(neg) for neg in NEGATIONS):
                return True
            start = text.find(word, start + 1)
    return False


def _english(folded: str, pattern: re.Pattern[str], *, money: bool) -> bool:
    """Whether ``pattern`` matches a word of ``folded`` that no negation word comes just before (``no fever``)."""
    if money:  # as it always was: "no money problem" says the need is not money
        return bool(pattern.search(folded)) and not _NO_MONEY_PROBLEM.search(folded)
    return any(not _ENGLISH_NEGATION.search(folded[:hit.start()]) for hit in pattern.finditer(folded))
