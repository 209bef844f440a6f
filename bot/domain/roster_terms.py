"""The registration form's fixed vocabularies: the roster words a reader sees in their own language.

The national registration form (农村留守儿童基本情况登记表) fills some columns
from a fixed list — 性别 男/女, 身体情况 健康/患病/残疾, 留守类型 父母双方外出 …,
监护情况评估 好/较好/一般/差, 家庭经济来源, 救助帮扶情况, 就学情况 and 民族 (the
56 ethnic groups of GB/T 3304). The roster stores the school's words as typed
(:mod:`bot.domain.roster_cells`; the bureau's exports keep them so); wherever
a person reads them (the child's card, the dashboard), a word of these lists
is shown through the catalogs — "both parents away" in English, the form's own
term in Chinese — and anything else (free text: "患病（哮喘）") as typed.

The keys are the form's terms and the everyday variants seen in rosters (父母均外出
for 父母双方外出, 汉 for 汉族); several words may share a term. A cell listing
several terms (``享受低保、医疗救助``) is shown term by term when every part is known.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from bot.messages.prompt import N_, msg, text

GENDER = {"男": N_("male"), "男性": N_("male"), "女": N_("female"), "女性": N_("female")}

HEALTH = {
    "健康": N_("healthy"), "良好": N_("in good health"), "一般": N_("in fair health"), "较差": N_("in poor health"),
    "差": N_("in poor health"), "患病": N_("ill"), "疾病": N_("ill"), "有疾病": N_("ill"), "残疾": N_("disabled"),
    "重病": N_("seriously ill"), "大病": N_("seriously ill"), "慢性病": N_("chronically ill"),
}

LEFT_BEHIND_TYPE = {
    "父母双方外出": N_("both parents away"), "父母均外出": N_("both parents away"),
    "双方外出": N_("both parents away"), "父母外出": N_("both parents away"),
    "父亲外出、母亲无监护能力": N_("father away, mother unable to guard"),
    "母亲外出、父亲无监护能力": N_("mother away, father unable to guard"),
    "一方外出、另一方无监护能力": N_("one parent away, the other unable to guard"),
    "父亲外出": N_("father away"), "母亲外出": N_("mother away"), "其他": N_("other"),
}

ASSESSMENT = {"好": N_("good"), "较好": N_("fairly good"), "一般": N_("fair"), "较差": N_("rather poor"),
              "差": N_("poor")}

FAMILY_INCOME = {
    "打工收入": N_("wages from work away"), "务工收入": N_("wages from work away"),
    "外出务工": N_("wages from work away"), "种养殖业": N_("farming and livestock"), "种植业": N_("farming"),
    "务农": N_("farming"), "养殖业": N_("livestock"), "亲朋接济": N_("help from relatives and friends"),
    "亲友接济": N_("help from relatives and friends"), "政府救助": N_("government assistance"),
    "低保": N_("minimum living allowance"), "其他": N_("other"),
}

AID = {
    "享受低保": N_("receives the minimum living allowance"), "低保": N_("minimum living allowance"),
    "临时救助": N_("temporary assistance"), "医疗救助": N_("medical assistance"),
    "特困供养": N_("support for the extremely poor"), "助学金": N_("student grant"), "无": N_("none"),
}

SCHOOLING = {
    "学前": N_("preschool"), "幼儿园": N_("preschool"), "小学": N_("primary school"),
    "初中": N_("junior secondary school"), "高中": N_("senior secondary school"), "辍学": N_("dropped out"),
    "失学": N_("out of school"), "辍学/失学": N_("dropped out or out of school"), "休学": N_("schooling suspended"),
    "未入学": N_("not enrolled"),
}

_ETHNIC_GROUPS = {  # GB/T 3304, in its order; the roster writes 汉族 or 汉
    "汉": N_("Han"), "蒙古": N_("Mongol"), "回": N_("Hui"), "藏": N_("Tibetan"), "维吾尔": N_("Uyghur"),
    "苗": N_("Miao"), "彝": N_("Yi"), "壮": N_("Zhuang"), "布依": N_("Bouyei"), "朝鲜": N_("Korean"),
    "满": N_("Manchu"), "侗": N_("Dong"), "瑶": N_("Yao"), "白": N_("Bai"), "土家": N_("Tujia"),
    "哈尼": N_("Hani"), "哈萨克": N_("Kazakh"), "傣": N_("Dai"), "黎": N_("Li"), "傈僳": N_("Lisu"),
    "佤": N_("Va"), "畲": N_("She"), "高山": N_("Gaoshan"), "拉祜": N_("Lahu"), "水": N_("Sui"),
    "东乡": N_("Dongxiang"), "纳西": N_("Naxi"), "景颇": N_("Jingpo"), "柯尔克孜": N_("Kyrgyz"), "土": N_("Tu"),
    "达斡尔": N_("Daur"), "仫佬": N_("Mulao"), "羌": N_("Qiang"), "布朗": N_("Blang"), "撒拉": N_("Salar"),
    "毛南": N_("Maonan"), "仡佬": N_("Gelao"), "锡伯": N_("Xibe"), "阿昌": N_("Achang"), "普米": N_("Pumi"),
    "塔吉克": N_("Tajik"), "怒": N_("Nu"), "乌孜别克": N_("Uzbek"), "俄罗斯": N_("Russian"), "鄂温克": N_("Evenki"),
    "德昂": N_("De'ang"), "保安": N_("Bonan"), "裕固": N_("Yugur"), "京": N_("Gin"), "塔塔尔": N_("Tatar"),
    "独龙": N_("Derung"), "鄂伦春": N_("Oroqen"), "赫哲": N_("Hezhen"), "门巴": N_("Monba"), "珞巴": N_("Lhoba"),
    "基诺": N_("Jino"),
}
ETHNICITY = {**_ETHNIC_GROUPS, **{f"{name}族": term for name, term in _ETHNIC_GROUPS.items()}}

TERMS: dict[str, dict[str, str]] = {
    "gender": GENDER, "ethnicity": ETHNICITY, "schooling": SCHOOLING, "health": HEALTH,
    "left_behind_type": LEFT_BEHIND_TYPE, "guardianship_assessment": ASSESSMENT, "family_income": FAMILY_INCOME,
    "aid": AID,
}
"""Roster field (``bot.domain.roster_layout.CHILD_COLUMNS`` value) → its word → message id."""

_SPACE = re.compile(r"\s+")
_SEPARATORS = re.compile(r"[、，,；;／/+＋]+")


def terms(field: str, value: str) -> tuple[str, ...] | None:
    """The message ids of a roster value of a fixed vocabulary, or None when it is free text.

    Args:
        field: the roster field (``gender``, ``left_behind_type`` …); a field
            without a vocabulary (``address``) always gives None.
        value: the value as stored. Compared after NFKC (full-width forms) and
            without whitespace; a whole term first (``母亲外出、父亲无监护能力``), then
            a list of terms separated by 、，,；/ (``享受低保、医疗救助``) when every
            part is a term.
    """
    vocabulary = TERMS.get(field)
    if vocabulary is None:
        return None
    word = _SPACE.sub("", unicodedata.normalize("NFKC", value))
    if word in vocabulary:
        return (vocabulary[word],)
    parts = [p for p in _SEPARATORS.split(word) if p]
    if len(parts) > 1 and all(p in vocabulary for p in parts):
        return tuple(dict.fromkeys(vocabulary[p] for p in parts))
    return None


def term_param(field: str, value: str) -> Any:
    """A roster value as a prompt parameter: a term in the reader's language, free text as typed.

    Several terms are a list (joined 、 in Chinese, ", " in English by the renderer).
    """
    found = terms(field, value)
    if found is None:
        return text(value)
    return msg(found[0]) if len(found) == 1 else [msg(term) for term in found]
