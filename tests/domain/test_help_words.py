"""The kind of help read from the words typed at "what kind of help?" (bot.domain.help_words)."""

from __future__ import annotations

import pytest

from bot.domain.help_words import KINDS, help_kind
from bot.services.checkin_messages import HELP_KIND_LABELS


def test_every_kind_offered_but_other_has_its_words():
    assert {kind for kind, _, _ in KINDS} == set(HELP_KIND_LABELS) - {"other"}


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("孩子发烧了", "health"), ("生病了要去医院", "health"), ("咳嗽好几天", "health"), ("孩子不舒服", "health"),
        ("發燒", "health"), ("she has a fever", "health"), ("he is sick, needs a doctor", "health"),
        ("作业不会做", "study"), ("学习跟不上", "study"), ("成绩下降", "study"), ("不学习", "study"),
        ("help with homework", "study"), ("his grades are bad", "study"),
        ("同学欺负他", "safety"), ("被打了", "safety"), ("放学路上有陌生人跟着", "safety"), ("不安全", "safety"),
        ("he is bullied", "safety"), ("a stranger followed her", "safety"),
        ("钱不够买药", "money"), ("錢不夠", "money"), ("没钱交学费", "money"), ("can't afford the doctor", "money"),
        ("被同学打了，不想上学", "safety"),  # safety before study
        ("发烧了，作业没写", "health"),  # health before study
        ("不发烧了", None), ("no fever now", None), ("不缺钱，孩子想妈妈了", None), ("no money problem", None),
        ("孩子想妈妈了，天天哭", None), ("打他爸电话", None), ("she teaches him songs", None),
    ],
)
def test_help_kind(typed, kind):
    assert help_kind(typed) == kind


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        # 没 / 没有 / 不再 / 不是 / 并没 / 别 before a word: the need is not that (found by a breaker).
        ("没发烧", None), ("孩子没发烧，就是想妈妈", None), ("没有发烧，就是想妈妈", None), ("沒有發燒", None),
        ("不再发烧了", None), ("没再发烧", None), ("没受伤", None), ("并没有生病", None), ("并没受伤", None),
        ("从来没生病", None), ("别担心，没生病", None), ("没被欺负", None), ("没有被同学欺负", None),
        ("不是钱的问题", None), ("不是学习的事，孩子想爸爸", None),
        # parents earning away is no money need
        ("爸妈在外面挣钱，孩子想他们", None), ("他爸在广东打工赚钱", None),
        # English negations, a few words between
        ("he doesnt have a fever", None), ("he doesn't have a fever", None), ("he doesn’t have a fever", None),
        ("she does not have a cough", None), ("he didn't get hurt", None), ("he isn't sick", None),
        ("he is not sick, he misses his mum", None), ("she has not been bullied", None), ("no longer sick", None),
        ("not about money", None), ("it isn't about money", None), ("we don't need money", None),
        ("his parents earn money in the city", None),
        # needs said with 没: listed whole, they count
        ("没钱买药", "money"), ("没有钱交学费", "money"), ("家里没什么钱", "money"), ("没有吃的", "money"),
        ("孩子没饭吃", "money"), ("没生活费了", "money"), ("挣钱少，不够用", "money"), ("挣不到钱", "money"),
        ("没人接送", "safety"), ("放学没有人接送", "safety"), ("晚上没人管", "safety"),
        ("没药了", "health"), ("没有药了", "health"), ("没课本", "study"), ("没人辅导作业", "study"),
        ("we have no money for medicine", "money"), ("they cannot earn money now", "money"),
        ("he doesn't have money for the bus", "money"),
        # a question asked both ways is no negation; 特别 is no 别
        ("是不是发烧了", "health"), ("有没有被欺负", "safety"), ("孩子特别害怕", "safety"),
        ("特别不舒服", "health"), ("别人欺负他", "safety"),
        # a negation elsewhere leaves the need
        ("没去医院，一直咳嗽", "health"), ("不发烧了，但是还咳嗽", "health"), ("錢不夠買藥", "money"),
        ("he isn't eating", "health"), ("he didn't go to the doctor, he still coughs", "health"),
    ],
)
def test_negated_words_are_no_need_and_needs_said_with_mei_are(typed, kind):
    assert help_kind(typed) == kind
