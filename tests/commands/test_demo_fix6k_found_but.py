"""'Found, but…' with harm is no all clear, nor is 'which child?' once harm is added (breaker D1, D2; fix6k).

杨秀云 went missing after school; her grandfather 张强 acknowledges the alert and writes ``找到了，没气了``,
``找到了，被打了``, ``找到了，在卫生院输液``, ``found her, in the ER`` … Each was passed to her parents far away as
"张强说杨秀云没事了" and the close pre-selected "孩子已找到". 李雪, grandmother of 刘帅 and 刘婷婷 (both missing),
writes ``没事了``, is asked which child, adds ``婷婷在医院抢救`` and then picks ``1``: "李雪说刘婷婷没事了".
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo, told_to

AFTERNOON = "2026-12-02 16:00"
MISSING_XIUYUN = "报告 杨秀云\n3\n1\n放学后没回家\n1\n:wait 2m\n:as #43\n1\n"
EVERYONE_ZH = "谢谢。您关于杨秀云的话已转告收到这起突发事件通知的人"
BOTH_MISSING = (":as 张老师\n报告 刘帅\n3\n1\n放学后没回家\n1\n报告 刘婷婷\n3\n1\n放学后没回家\n1\n:wait 2m\n"
                ":as 李雪\n1\n1\n")
FOUND_BUT = ["找到了，没气了", "找到了，人不行了", "找到了，被打了", "找到了，又不见了", "找到了，在卫生院输液",
             "找到了，在诊所输液", "找到了，在卫生所打针", "找到了，在ICU", "找到了，在河里", "找到了，在派出所",
             "找到了，是被人贩子带走的"]


@pytest.mark.parametrize("words", FOUND_BUT)
def test_found_but_not_all_right_goes_out_in_full(monkeypatch, tmp_path, sample_roster, words):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{MISSING_XIUYUN}{words}\n/quit\n", AFTERNOON, "--all")
    told = after(out, words)
    assert EVERYONE_ZH not in told
    assert "没事了" not in told and "孩子已找到" not in told
    assert any(f"“{words}”" in m for m in told_to(told, "王老师（班主任）"))


@pytest.mark.parametrize("words", ["found her, in the ICU", "found her, in the ER", "found her, she was beaten"])
def test_english_found_but_not_all_right_goes_out_in_full(monkeypatch, tmp_path, sample_roster, words):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{MISSING_XIUYUN}{words}\n/quit\n", AFTERNOON, "--all",
                   "--lang", "en")
    told = after(out, words)
    assert "were passed to those alerted" not in told
    assert "is fine" not in told and "has been found" not in told
    assert any(f"“{words}”" in m for m in told_to(told, "王老师 (class teacher)"))


@pytest.mark.parametrize("words", ["找到了，在邻居家玩", "找到了，吓死我了", "found her, she had gone to a friend's"])
def test_found_with_everyday_details_is_still_the_all_clear(monkeypatch, tmp_path, sample_roster, words):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{MISSING_XIUYUN}{words}\n/quit\n", AFTERNOON, "--all")
    assert after(out, words).startswith(EVERYONE_ZH)


@pytest.mark.parametrize("words", ["婷婷在医院抢救", "婷婷被打了", "婷婷在卫生院输液"])
def test_harm_added_at_which_child_takes_the_all_clear_back(monkeypatch, tmp_path, sample_roster, words):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{BOTH_MISSING}没事了\n{words}\n1\n/quit\n", AFTERNOON,
                   "--all")
    assert after(out, "没事了").startswith("您说的“没事了”是关于哪个孩子的？")
    told = after(out, words)
    assert "已撤回您的“平安”消息：没有作为平安消息转告任何人。" in told
    assert any(words in m for m in told_to(told, "张老师（班主任）"))  # the family's words reach the teacher
    later = out.split(f"> {words}\n", 1)[1]
    assert "已转告收到" not in later  # "1" passes no all clear on
    assert "李雪说刘婷婷没事了" not in out and "李雪说刘帅没事了" not in out
