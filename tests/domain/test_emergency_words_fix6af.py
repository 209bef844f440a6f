"""A child hurt by someone (harm) and a sick child nobody can get to a doctor (help) are emergencies (fix6af)."""

from __future__ import annotations

import pytest

from bot.domain.emergency_words import EmergencyKind, emergency_kind

NAMES = ("杨秀云", "秀云")


@pytest.mark.parametrize("typed", [
    "孩子被打了", "杨秀云被打了", "秀云挨打了", "孩子挨了一顿打", "隔壁王家小军被他爸打了，身上都是伤",
    "孩子被同学打了",
    "刘帅的同学杨秀云在学校被欺负", "孩子说爸爸打她", "他爸把孩子打了", "孩子被人打了，脸上都是血", "家里有家暴",
    "被打了", "my granddaughter was beaten by older kids", "she was hit by older kids", "he got beat up",
    "she was hurt by someone", "his dad hits him", "she is bullied at school", "找到了，被打了",
])
def test_a_child_hurt_by_someone_is_harm(typed):
    assert emergency_kind(typed, NAMES) is EmergencyKind.HARM, typed


@pytest.mark.parametrize("typed", [
    "孩子打针了", "孩子没被打", "没有挨打", "同学老欺负他", "孩子打架了", "给孩子打电话没人接", "被子打湿了",
    "孩子被抽血了", "被打扰了", "我打孩子了他不写作业", "预防校园霸凌教育", "孩子打扮得很漂亮", "he was not beaten",
    "she hit her head", "he was hit by a ball", "he was hurt by a fall", "hit the ball", "we beat the team",
])
def test_everyday_words_with_a_blow_in_them_are_none(typed):
    assert emergency_kind(typed, NAMES) is not EmergencyKind.HARM, typed


@pytest.mark.parametrize("typed", [
    "孩子发烧两天了，我腿脚不好带不去医院", "孩子病了好几天，没钱看病", "秀云发烧了，家里没人管",
    "带不去医院，孩子一直发烧",
    "孩子發燒兩天了，帶不去醫院", "she has had a fever for two days and I can't take her to the doctor",
    "she is sick and there is no money for the doctor",
])
def test_a_sick_child_nobody_can_get_to_a_doctor_is_help(typed):
    assert emergency_kind(typed, NAMES) is EmergencyKind.HELP, typed


@pytest.mark.parametrize("typed", [
    "有点感冒", "孩子感冒了，没人管", "没钱买药", "孩子没发烧，就是没人管", "孩子发烧了", "她奶奶住院了没人管她做作业",
    "孩子发烧两天了，我腿脚不好", "我腿脚不好带不去医院", "孩子生病了，我去不了学校", "she has a bit of a cold",
])
def test_a_cold_or_no_illness_is_no_help_emergency(typed):
    assert emergency_kind(typed, NAMES) is None, typed
