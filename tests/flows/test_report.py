"""``/report`` (统计) in chat, as a principal, a town official, the bureau, a teacher and a grandmother would use it."""

from __future__ import annotations

import io

import pytest

from bot.config import Settings
from bot.flows.runner import FlowRunner
from tests.support.chat import Chat
from tests.support.figures_world import county


@pytest.fixture
def world(uow_factory):
    return county(uow_factory)


@pytest.fixture
def flows(uow_factory, clock):
    return FlowRunner(uow_factory, clock, Settings(database_url="sqlite://"))


def test_the_principal_reads_the_school_per_class_and_teacher(flows, world):
    chat = Chat(flows, f"tg-{world.leader}")
    chat.send("统计")
    text = chat.text
    assert "清溪小学（学校）统计数据，2026-11：" in text
    assert "• 留守儿童：8人，学生总数70人（11.4%）" in text
    assert "• 档案完整（建档率）：7/8 (87.5%)" in text
    assert "• 班主任每月谈心：4/8 (50.0%)" in text
    assert "• 监护人回复每周联系：4/5 (80.0%)" in text
    assert "监护人30分钟内：1/1 (100.0%)；父母1小时内：0/1 (0.0%)" in text
    assert "• 控辍保学（离校或未就学）：2" in text
    assert "• 一年级（1）班：6名儿童；建档 5/6 (83.3%)；每月谈心 4/6 (66.7%)" in text
    assert "• 王老师（一年级（1）班）：每月 4/6 (66.7%)" in text
    assert "<5" not in text  # the school's own leaders see exact counts
    [picture] = [p.attachment for p in chat.reply.prompts if p.attachment is not None]
    assert picture.mime == "image/png" and picture.data[:8] == b"\x89PNG\r\n\x1a\n"
    from PIL import Image

    assert Image.open(io.BytesIO(picture.data)).size[1] == 60 + 30 * 2 + 10  # one row per class


def test_the_principal_asks_for_the_term_and_a_month_that_cannot_be_read(flows, world):
    chat = Chat(flows, f"tg-{world.leader}")
    chat.send("/report 学期")
    assert "2026-09-01~2027-01-20" in chat.text
    chat.send("/report 下个月")
    assert "无法识别“下个月”" in chat.text and "/report 学年" in chat.text


def test_a_town_official_sees_aggregates_only_in_english(flows, world):
    chat = Chat(flows, f"tg-{world.town}")
    chat.send("/lang")
    chat.tap("English")
    chat.send("/report")
    text = chat.text
    assert "Figures for 清溪镇 (town), 2026-11:" in text
    assert "• Left-behind children: 15 of 105 pupils (14.3%)" in text
    # 14 of 15 cards complete would say one is not: a band, fewer than 5 incomplete (fix9b)
    assert "• Complete cards (建档率): */15 (≥73%)" in text and "14/15" not in text
    assert "• Dropout watch (控辍保学: left or not attending): <5" in text
    assert ("To protect the children's privacy, counts under 5 (1 to 4) are shown as <5, and rates that would reveal "
            "them as a range, (<5) or *.") in text
    assert "Per school:" in text and "• 河口小学: 7 children" in text
    for name in ("王老师", "陈老师", "小一", "一年级（1）班"):
        assert name not in text


def test_the_bureau_sees_every_town(flows, world):
    chat = Chat(flows, f"tg-{world.bureau}")
    chat.send("报表 学年")
    assert "您督导的3所学校（河口小学、清溪小学、石门小学）统计数据" in chat.text  # not "全部学校（县）" (fig9h)
    assert "• 石门镇：<5名儿童" in chat.text and "• 清溪镇：*名儿童" in chat.text  # 17 − 15 would give 2 back


@pytest.mark.parametrize("who", ["wang", "chen"])
def test_teachers_are_told_whom_figures_are_for(flows, world, who):
    chat = Chat(flows, f"tg-{getattr(world, who)}")
    chat.send("/report")
    assert chat.text == "统计数据只提供给学校领导、管理员以及教育主管部门和镇党委政府。"


def test_a_guardian_s_report_is_the_family_report(flows, world):
    # A guardian's /report means 报告 (conv6t): the emergency numbers, never "figures are not for you".
    chat = Chat(flows, f"tg-{world.grandma}")
    chat.send("/report")
    assert chat.text.startswith("突发事件由学校教职工报告。")


def test_an_unbound_chat_is_asked_to_bind_first(flows, world):
    chat = Chat(flows, "stranger")
    chat.send("/report")
    assert "请先绑定" in chat.text or "邀请码" in chat.text
