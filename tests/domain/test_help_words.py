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
