"""Whether a clause is about someone named who is not one of the writer's children (fix6ag, issue 6).

李雪, grandmother of 刘婷婷 and 刘帅, answers the Friday check-in ``婷婷很好，杨秀云发烧了``. Which clause is about
whom must be decided without asking whether 杨秀云 is a child of the school: ``王小军发烧了`` (no child at all) has to
be read the same way, or the reply tells her who goes there (docs/flows/relay.md). So the test is the shape of the
words only: a clause that opens with a name-like word — a common surname and at least one more Chinese character —
that is none of her children's names or forms is about someone else. Pronouns and kin words (``孩子``, ``她``,
``孙女``, ``我家``), a teacher's address (``张老师``) and everyday words that begin with a surname character
(``高兴``, ``周末``, ``马上``, ``谢谢``) are not names. A child called as at home (``小军``, ``军军``) and a name in
pinyin (``Yang Xiuyun``) are names too (fix6ai); her own children's forms (``婷婷``, ``小帅``, ``Liu Shuai``) stay
hers. Pure: no I/O, no roster.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache

from pypinyin import Style, lazy_pinyin
from pypinyin.pinyin_dict import pinyin_dict

from bot.domain.child_mentions import COMPOUND_SURNAMES
from bot.domain.traditional import simplified

# Common surnames. Left out on purpose: characters that mostly open everyday words in a parent's message
# (钱 不够, 安全, 成绩, 时间, 方便, 白天, 全家, 关心, 常常, 平时, 和, 于是, 任何, 万一, 路上, 车费 …).
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧肖田董袁潘蒋蔡余杜叶程苏魏吕丁沈姚卢姜"
    "崔钟谭陆汪范廖石邹熊孔毛邱秦史顾侯邵孟尹黎易乔贺赖龚胥祁莫伍覃阎薛雷侯蒲岳柯柴庞樊凌霍虞殷鲁韦严"
)
# Everyday words that open with a surname character: not a name.
NOT_NAMES = (
    "高兴", "高烧", "高温", "高考", "高中", "高年级", "周末", "周一", "周二", "周三", "周四", "周五", "周六", "周日",
    "周天", "周围", "周岁", "马上", "马路", "谢谢", "许多", "孙女", "孙子", "孙儿", "曾经", "程度", "叶子", "石头",
    "田里", "田地", "毛病", "毛衣", "林子", "黄色", "黄昏", "陆续", "熊孩子", "顾不上", "莫名", "何时", "赖床",
    "钟头", "杨树", "李子", "胡说", "胡闹", "易哭", "范围", "雷雨", "严重", "鲁莽", "董事", "乔迁",
)
# Words a family uses for her own child or herself, and openers before the subject.
_KIN = ("孩子", "小孩", "娃", "她", "他", "它", "我", "咱", "孙", "外孙", "宝宝", "俩", "两个", "哥哥", "姐姐", "弟弟",
        "妹妹", "儿子", "女儿", "老大", "老二", "大的", "小的", "家里", "大家", "这", "那", "都", "也")
_OPENERS = ("还有", "另外", "对了", "我听说", "听说", "然后", "而且", "可是", "但是", "不过")
# Where the other child lives, said before the name (隔壁刘帅…, trial B1): the name still opens the clause.
_PLACES = ("隔壁家的", "隔壁的", "隔壁", "邻居家的", "邻居家", "邻居的", "我们村的", "我们村", "村里的", "同村的",
           "我们班的", "班上的")
_TITLES = ("老师", "校长", "主任")


def other_subject(clause: str, own_forms: Iterable[str]) -> bool:
    """True when ``clause`` opens with a name-like word that is none of ``own_forms`` (her children's forms).

    Args:
        clause: one clause of what she typed (``杨秀云发烧了``).
        own_forms: every way her children are called (:func:`bot.domain.child_mentions.forms`).
    """
    own = [simplified(form) for form in own_forms]
    if _pinyin_name(clause, own):
        return True
    words = _after_openers(simplified("".join(clause.split())))
    if len(words) < 2 or words.startswith(_KIN) or words.startswith(NOT_NAMES):
        return False
    if any(form in words for form in own if form.strip()):
        return False  # 王小军打了婷婷: about her child, recorded as before
    if _nickname(words):
        return True  # 小军发烧了, 军军需要帮助: a child called as at home, none of hers (婷婷, 小帅 are above)
    start = 2 if words[:2] in COMPOUND_SURNAMES else 1 if words[0] in SURNAMES else 0
    if not start or len(words) <= start or not _chinese(words[start]):
        return False
    return not any(title in words[start:start + 4] for title in _TITLES)  # 张老师说…: a teacher, not a child


def nickname_subject(clause: str, own_forms: Iterable[str]) -> str | None:
    """The nickname a clause opens with (``小云需要帮助`` → ``小云``, ``云云…`` → ``云云``) when it is none of hers.

    For finding which other child of the school is meant (:mod:`bot.services.other_children`); None when the
    clause does not open with a child's name as a family says it.
    """
    if not other_subject(clause, own_forms):
        return None
    words = _after_openers(simplified("".join(clause.split())))
    return words[:2] if _nickname(words) else None


def _after_openers(words: str) -> str:
    for openers in (_OPENERS, _PLACES):
        for opener in openers:
            if words.startswith(opener):
                words = words[len(opener):]
                break
    return words


def _chinese(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff"


# 小 + one character: a child's name at home (小军), unless it opens an everyday word (小孩, 小学, 小心 …).
_NOT_NICKNAMES = tuple((
    "小孩 小朋友 小学 小时 小心 小姑娘 小伙 小男孩 小女孩 小狗 小猫 小鸡 小事 小病 "
    "小卖部 小区 小便 小声 小说 小组 小队 小测 小考 小班 小名 小的 小家伙 小宝 "
    "小娃 小子 小儿 小孙 小外孙 小点 小问题 小感冒 小毛病 小伤 小手术 小卖 小路 小河 "
    "小店 小菜 小麦 小米 小时候 小一 小二 小三 小四 小五 小六 小升初 小同学 小叔 "
    "小姨 小舅 小姑 小婶 小妹 小弟 小哥 小姐 "
).split())
# Doubled characters that are everyday words or kin, never a child's name at home (军军 is one).
# 孩: "孩孩孩…" (a key held down at "what kind of help?") is no child's name: it is told it is too long.
_NOT_DOUBLED = frozenset("天常刚慢好渐妈爸爷奶哥姐弟妹宝孩谢看试人个偏仅悄往乖默统早稍轻久哈呵嘿嗯舅叔伯姑婆公姥嫂爹娘"
                         "星点样处时家年月日次回步事每想走说听写读玩等问找")
# English words that are also a pinyin syllable: the first word of a sentence, never a surname on its own.
_ENGLISH = frozenset({"he", "she", "an", "a", "man", "men", "can", "fan", "ran", "long", "bang", "hang", "sang",
                      "gang", "pan", "tan", "ban", "die", "lie", "tie", "pie", "hen", "pen", "ben", "sun", "you",
                      "now", "so", "no", "me", "mo", "ma"})


def _nickname(words: str) -> bool:
    """``小军…``, ``军军…``: a child's name as a family says it (her own forms are compared before)."""
    if words.startswith(_NOT_NICKNAMES):
        return False
    if words[0] == "小" and len(words) >= 3 and _chinese(words[1]):
        return True
    return len(words) >= 3 and words[0] == words[1] and _chinese(words[0]) and words[0] not in _NOT_DOUBLED


def _pinyin_name(clause: str, own: list[str]) -> bool:
    """``Yang Xiuyun needs help``: the clause opens with a surname in pinyin and a given name in pinyin.

    Her own children in pinyin (``Liu Shuai``, ``tingting``: ``own`` holds their Latin forms) are hers.
    """
    found = re.match(r"\s*([A-Za-z]+)\s+([A-Za-z]+)\b", clause)
    if found is None:
        return False
    first, given = found.group(1), found.group(2)
    spaced = " ".join(re.findall(r"[a-z]+", clause.casefold()))
    if any(re.search(rf"\b{re.escape(form)}\b", spaced) for form in own if form.isascii() and form.strip()):
        return False
    if first.casefold() not in _surname_pinyin() or not _syllables(given.casefold()):
        return False
    capitalised = given[0].isupper() and given[1:].islower()
    if first.casefold() in _ENGLISH or given.casefold() in _ENGLISH:
        return capitalised and first[0].isupper()  # "He can come" is English; "He Ming" a name
    return capitalised or len(given) >= 4


@cache
def _surname_pinyin() -> frozenset[str]:
    return frozenset(lazy_pinyin(ch, style=Style.NORMAL)[0] for ch in SURNAMES)


@cache
def _all_syllables() -> frozenset[str]:
    found: set[str] = set()
    for read in pinyin_dict.values():
        for one in read.split(","):
            bare = "".join(c for c in unicodedata.normalize("NFD", one) if not unicodedata.combining(c))
            if bare.isascii() and bare.isalpha():
                found.add(bare)
    return frozenset(found)


def _syllables(word: str) -> bool:
    """Whether ``word`` is one to three pinyin syllables run together (``xiuyun``, ``jun``)."""
    @cache
    def split(rest: str, left: int) -> bool:
        if not rest:
            return True
        return left > 0 and any(rest[:n] in _all_syllables() and split(rest[n:], left - 1)
                                for n in range(min(6, len(rest)), 0, -1))
    return split(word, 3)
