"""The all clear's limits (bot.flows.all_clear, a breaker's findings of 2026-12-05).

- A grandfather left out of the chain (``家属涉嫌，不再通知``) sent ``没事了`` to the whole family chain as urgent news
  and read who was in it: his words now reach the school only, as ordinary words about the child.
- ``没事了`` more than an hour after confirming the alert was taken as the check-in's "very good": while the incident
  is open it is the family's news, and the check-in is asked again.
- ``孩子没事吧？`` was broadcast as an all clear (``吧``, ``呢`` folded away): a question goes to the reporter, as a
  question.
- Each further ``没事了`` re-sent the urgent broadcast: it goes once per person and incident.
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo, told_to

AT = "2026-12-02 10:00"
MISSING = "报告 杨秀云\n1\n1\n放学后没回家\n1\n:as #43\n1\n"  # the grandfather 张强 confirms with 1
CHAIN = ("杨杨（外出务工父母）", "谢冬梅（外出务工父母）")


def test_a_guardian_left_out_of_the_chain_reaches_the_school_only(monkeypatch, tmp_path, sample_roster):
    script = f"{MISSING}:as 刘主任\n待办\n1\n2\n1\n家属涉嫌，不再通知\n:as #43\n没事了\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all")
    assert "已排除张强" in out
    told = after(out, "没事了")
    mine = told.split("\n\n[→ ", 1)[0]
    assert "杨杨" not in mine and "谢冬梅" not in mine and "收到这起突发事件通知的人" not in mine
    for reader in CHAIN:
        assert told_to(told, reader) == [], reader
    assert any("“没事了”" in m for m in told_to(told, "王老师（班主任）"))


def test_an_all_clear_hours_after_confirming_reaches_everyone_and_is_no_check_in_answer(monkeypatch, tmp_path,
                                                                                         sample_roster):
    script = "报告 杨秀云\n1\n1\n放学后没回家，找不到人\n1\n:as #43\n1\n:wait 90m\n没事了\n孩子找到了\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-04 16:30", "--all")
    told = after(out, "没事了")
    assert "已记录：杨秀云这周很好" not in out
    assert told.startswith("谢谢。您关于杨秀云的话已转告收到这起突发事件通知的人：王老师、杨杨、谢冬梅")
    assert "还在等您回答：\n\n杨秀云这周过得怎么样？\n1. 很好 2. 一般 3. 需要帮助" in told
    for reader in CHAIN:
        assert any("“没事了”" in m for m in told_to(told, reader)), reader
    found = after(out, "孩子找到了")
    assert found.startswith("您关于杨秀云的平安消息之前已转告收到这起突发事件通知的人。这次的话已转告：王老师。")
    assert "杨秀云这周过得怎么样？" in found  # still unanswered
    assert any("“孩子找到了”" in m for m in told_to(found, "王老师（班主任）"))


@pytest.mark.parametrize("asked", ["孩子没事吧？", "没问题吧", "孩子没事了呢"])
def test_a_worried_question_goes_to_the_reporter_never_to_everyone(monkeypatch, tmp_path, sample_roster, asked):
    script = f"报告 杨秀云\n1\n1\n放学路上摔伤了膝盖\n1\n:wait 10m\n:as #43\n1\n:wait 5m\n{asked}\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all")
    told = after(out, asked)
    assert told.startswith("谢谢。您关于杨秀云（2026年12月2日 10:00报告的突发事件）的留言已马上转给"
                           "王老师（事件报告人）")
    assert any(f"“{asked}”" in m for m in told_to(told, "王老师（班主任）"))
    for reader in CHAIN:
        assert told_to(told, reader) == [], reader


def test_a_second_all_clear_goes_to_the_reporter_only(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{MISSING}/call\n没事了\n1\n没事了\n/quit\n", AT, "--all")
    first = after(out, "没事了")
    for reader in CHAIN:
        assert any("“没事了”" in m for m in told_to(first, reader)), reader
    again = out.split("> 没事了\n")[2].split("\n> ", 1)[0]  # the second one
    assert again.startswith("您关于杨秀云的平安消息之前已转告收到这起突发事件通知的人。这次的话已转告：王老师。")
    assert "亲情电话：请为杨秀云的亲情电话选择时间。" in again  # the call booking is asked again
    assert any("“没事了”" in m for m in told_to(again, "王老师（班主任）"))
    for reader in CHAIN:
        assert told_to(again, reader) == [], reader
