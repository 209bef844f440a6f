"""Which of a family's children their words name (bot.domain.child_mentions)."""

from __future__ import annotations

from bot.domain.child_mentions import forms, given_name, named, only_a_name

MINE = [(1, "刘婷婷"), (2, "刘帅")]


def test_the_forms_a_family_writes():
    assert given_name("刘婷婷") == "婷婷" and given_name("欧阳娜娜") == "娜娜" and given_name("刘帅") == "帅"
    assert {"刘帅", "帅帅", "小帅", "阿帅"} <= forms("刘帅") and "帅" not in forms("刘帅")
    assert {"刘婷婷", "婷婷", "小婷"} <= forms("刘婷婷")


def test_words_name_the_child_they_mention():
    assert named("婷婷发烧了", MINE) == [1]
    assert named("帅帅今天没去上学", MINE) == [2]
    assert named("小帅说肚子疼", MINE) == [2]
    assert named("刘 帅 没来", MINE) == [2]
    assert named("孩子最近晚上咳嗽", MINE) == []
    assert named("这孩子长得真帅", MINE) == []  # one character alone never names 刘帅
    assert named("婷婷和帅帅都感冒了", MINE) == [1, 2]  # both: the caller asks which child


def test_a_form_two_of_the_children_share_names_neither():
    assert named("婷婷发烧了", [(1, "刘婷婷"), (3, "王婷婷")]) == []
    assert named("刘婷婷发烧了", [(1, "刘婷婷"), (3, "王婷婷")]) == [1]


def test_only_a_name_is_an_answer_and_no_message():
    assert only_a_name("婷婷", "刘婷婷") and only_a_name("刘婷婷。", "刘婷婷")
    assert not only_a_name("婷婷发烧了", "刘婷婷")


def test_a_siblings_name_inside_a_longer_name_is_not_a_second_mention():
    assert named("刘婷婷发烧了", [(1, "刘婷"), (2, "刘婷婷")]) == [2]
    assert named("刘婷发烧了", [(1, "刘婷"), (2, "刘婷婷")]) == [1]


def test_a_one_syllable_given_name_capitalised_names_the_child():
    kids = [(1, "刘婷婷"), (2, "刘帅")]
    assert named("Tingting is with me, Shuai is not", kids) == [1, 2]
    assert named("the shuai word in lower case", kids) == []  # only as a name is written
