"""Whether a clause is about someone named who is not one of the writer's children (fix6ag, issue 6).

李雪, grandmother of 刘婷婷 and 刘帅, answers the Friday check-in ``婷婷很好，杨秀云发烧了``. Which clause is about
whom must be decided without asking whether 杨秀云 is a child of the school: ``王小军发烧了`` (no child at all) has to
be read the same way, or the reply tells her who goes there (docs/flows/relay.md). So the test is the shape of the
words only: a clause that opens with a name-like word — a common surname and at least one more Chinese character —
that is none of her children's names or forms is about someone else. Pronouns and kin words (``孩子``, ``她``,
``孙女``, ``我家``), a teacher's address (``张老师``) and everyday words that begin with a surname character
(``高兴``, ``周末``, ``马上``, ``谢谢``) are not names. Pure: no I/O, no roster.
"""

from __future__ import annotations

from collections.abc import Iterable

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
_TITLES = ("老师", "校长", "主任")


def other_subject(clause: str, own_forms: Iterable[str]) -> bool:
    """True when ``clause`` opens with a name-like word that is none of ``own_forms`` (her children's forms).

    Args:
        clause: one clause of what she typed (``杨秀云发烧了``).
        own_forms: every way her children are called (:func:`bot.domain.child_mentions.forms`).
    """
    words = simplified("".join(clause.split()))
    for opener in _OPENERS:
        if words.startswith(opener):
            words = words[len(opener):]
            break
    if len(words) < 2 or words.startswith(_KIN) or words.startswith(NOT_NAMES):
        return False
    if any(form in words for form in own_forms):
        return False  # 王小军打了婷婷: about her child, recorded as before
    start = 2 if words[:2] in COMPOUND_SURNAMES else 1 if words[0] in SURNAMES else 0
    if not start or len(words) <= start or not _chinese(words[start]):
        return False
    return not any(title in words[start:start + 4] for title in _TITLES)  # 张老师说…: a teacher, not a child


def _chinese(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff"
