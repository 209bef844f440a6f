"""The talk card typed as teachers type it: everyday words for its ratings, and no sentence left unkept.

New-user trial (issue 6, teacher side): ``很好`` at "How was the child's mood?"
was refused (the check-in accepts ``挺好的``), and in English a sentence typed at
"Does 李四 need follow-up?" vanished: the card showed ``Note: —``.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.store.models import TalkRecord
from tests.support.chat import Chat
from tests.support.school import ACCOUNTS


def _talk(uow_factory) -> TalkRecord:
    with uow_factory() as uow:
        record = uow.session.scalars(select(TalkRecord)).one()
        uow.session.expunge_all()
        return record


def test_everyday_ratings_fill_the_card(flows, school, uow_factory):
    li = Chat(flows, ACCOUNTS["li"])
    li.send("谈心 李四")
    li.send("很好")
    assert "李四的学习情况怎么样？" in li.text
    li.send("还行")
    assert "李四的生活情况（饮食、睡眠、卫生）怎么样？" in li.text
    li.send("不太好")
    assert "李四有安全隐患吗？" in li.text
    for typed in ("没有", "跳过", "不用"):
        li.send(typed)
    assert "情绪：好" in li.text and "学习：一般" in li.text and "生活：较差" in li.text
    li.send("保存")
    record = _talk(uow_factory)
    assert (record.mood, record.study, record.daily_life) == ("good", "fair", "poor")


def test_an_acknowledgement_is_no_rating(flows, school):
    li = Chat(flows, ACCOUNTS["li"])
    li.send("谈心 李四")
    li.send("好的")
    assert li.text.startswith("请选择一个选项") and "与李四谈心。孩子的情绪怎么样？" in li.text  # asked again
    assert "已记入" not in li.text


def test_a_sentence_at_follow_up_is_kept_as_the_note_in_english(flows, school, uow_factory):
    li = Chat(flows, ACCOUNTS["li"])
    li.send("/lang")
    li.tap("English")
    li.send("talk 李四")
    for typed in ("very good", "fair", "not good", "No", "Skip"):
        li.send(typed)
    assert "Does 李四 need follow-up?" in li.text
    li.send("She misses her mother and cries at night")
    assert li.text.startswith("Kept as the note of this talk: “She misses her mother and cries at night” "
                              "(you will see it before saving). Please still answer:\nDoes 李四 need follow-up?")
    li.send("Yes")
    assert "Note: She misses her mother and cries at night" in li.text
    assert "Mood: Good" in li.text and "Study: Fair" in li.text and "Daily life: Poor" in li.text
    li.send("Save")
    assert _talk(uow_factory).note == "She misses her mother and cries at night"


def test_sentences_before_the_note_question_are_kept_and_added_to(flows, school, uow_factory):
    li = Chat(flows, ACCOUNTS["li"])
    li.send("谈心 李四")
    li.send("孩子说想妈妈了")  # at the mood question
    assert li.text.startswith("已记入这次谈心的备注：“孩子说想妈妈了”（保存前可以再看一遍）。请继续回答：\n"
                              "与李四谈心。孩子的情绪怎么样？")
    for typed in ("一般", "好", "好", "否"):
        li.send(typed)
    assert "与李四谈心的备注目前是：“孩子说想妈妈了”。可以再写几句补充，或选择“跳过”。" in li.text
    li.send("跳过")  # skipping keeps what was kept
    li.send("哈哈")  # a stray word at a choice is asked again, not kept
    assert "请选择一个选项" in li.text and "哈哈" not in li.text
    li.send("周末准备家访一次")
    li.send("是")
    assert "记录：孩子说想妈妈了\n周末准备家访一次" in li.text
    li.send("保存")
    assert _talk(uow_factory).note == "孩子说想妈妈了\n周末准备家访一次"
