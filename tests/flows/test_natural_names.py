"""Chinese command forms and misspelt names, typed as teachers type them (issue 6 item 3).

Through the flow runner every channel calls; the same chats over signed WeChat
XML are in ``tests/handlers/wechat/test_e2e_natural.py``.
"""

from __future__ import annotations

import pytest

from bot.flows.commands import parse
from tests.support.chat import Chat
from tests.support.school import ACCOUNTS

MOOD_LI_SI = "与李四谈心。孩子的情绪怎么样？"


@pytest.mark.parametrize("typed", ["谈心李四", "谈心：李四", "谈心:李四", "谈心 ： 李四", "／talk 李四", "/talk：李四",
                                   "／ｔａｌｋ　李四"])
def test_chinese_command_forms(typed, flows, school):
    chat = Chat(flows, ACCOUNTS["li"])
    chat.send(typed)
    assert chat.text == MOOD_LI_SI


def test_a_sentence_starting_with_a_keyword_is_not_a_command():
    assert parse("报告老师，孩子今天发烧了") is None
    assert parse("我的孩子发烧两天了，我腿脚不好带不去医院") is None
    assert parse("开始吧") is None
    assert parse("绑定AB12CD34") == ("start", "AB12CD34")
    assert parse("谈心：李四", keywords=False) is None  # a note being written may say anything


def test_a_misspelt_name_offers_the_closest_names_in_scope(flows, school):
    chat = Chat(flows, ACCOUNTS["li"])
    chat.send("谈心 李思")
    assert chat.text.startswith("在您负责的班级里没有找到名叫李思的孩子。您是指下面哪一位吗？")
    assert [label for label, _ in chat.choices] == ["李四（三年级1班）"]
    chat.tap("李四（三年级1班）")
    assert chat.text == MOOD_LI_SI


def test_pinyin_finds_the_name(flows, school):
    chat = Chat(flows, ACCOUNTS["li"])
    chat.send("谈心 lisi")
    assert [label for label, _ in chat.choices] == ["李四（三年级1班）"]
    chat.send("谈心 zhao liu")
    assert [label for label, _ in chat.choices] == ["赵六（三年级1班）"]


def test_suggestions_never_reveal_a_child_outside_the_scope(flows, school):
    chat = Chat(flows, ACCOUNTS["li"])  # 王五 is in 三年级2班: 李老师 records no talks with him
    chat.send("谈心 王吴")
    assert chat.text == "在您负责的班级里没有找到名叫王吴的孩子。" and chat.choices == []
    chat.send("谈心 王五")
    assert chat.text == "在您负责的班级里没有找到名叫王五的孩子。"  # the same answer as for nobody
    chat.send("报告 王吴")  # but any teacher reports incidents school-wide, so there it is offered
    assert [label for label, _ in chat.choices] == ["王五（三年级2班）"]


def test_a_misspelt_namesake_is_offered_with_what_tells_them_apart(flows, school):
    chat = Chat(flows, ACCOUNTS["chen"])  # paired with both 张三
    chat.send("谈心 张山")
    assert [label for label, _ in chat.choices] == ["张三（三年级1班；监护人张爷爷）", "张三（三年级2班）"]
    chat.send("张三")  # typing the name again still works
    assert "有2个孩子叫张三" in chat.text


def test_a_pasted_page_as_a_name_is_answered_at_once_and_not_echoed_whole(flows, school):
    """20,000 characters after 报告 (a WeChat message fits): no closest-name search, a short polite answer."""
    chat = Chat(flows, ACCOUNTS["li"])
    chat.send("报告 " + "杨" * 20_000)
    assert chat.text.startswith("在")  # the not-found answer, as for any unknown name
    assert "杨" * 33 not in chat.text and len(chat.text) < 200
