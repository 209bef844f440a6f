"""An all clear followed by harm, an emergency after an all clear, a "not found" at "which child?" (breaker3).

Found by a breaker: ``找到了，在医院抢救`` was relayed to the parents as "张强说杨秀云没事了" and the close
pre-selected "孩子已找到"; ``没事了。孩子不见了`` and ``杨秀云没事了，就是发烧抽搐`` were no emergency because an
all clear stood anywhere in them; ``不对，孩子们都还没找到`` at "which child?" was added to the all clear and
choosing a child still sent it.
"""

from __future__ import annotations

import pytest

from tests.support.all_clear_world import AFTERNOON, BOTH_MISSING, grandfather_says
from tests.support.demo import after, run_demo, told_to

EVERYONE_ZH = "谢谢。您关于杨秀云的话已转告收到这起突发事件通知的人"
EVERYONE_EN = "Thank you. Your words about 杨秀云 were passed to those alerted about the incident"


@pytest.mark.parametrize("words", ["找到了，在医院抢救", "找到了，但是腿摔断了", "孩子找到了，已送医院"])
def test_found_but_hurt_is_no_all_clear_the_words_go_out_in_full(monkeypatch, tmp_path, sample_roster, words):
    out = grandfather_says(monkeypatch, tmp_path, sample_roster, words)
    told = after(out, words)
    assert EVERYONE_ZH not in told
    assert "没事了" not in told and "孩子已找到" not in told
    assert any(f"“{words}”" in m for m in told_to(told, "王老师（班主任）"))


@pytest.mark.parametrize("lang", ["zh_Hans", "en"])
@pytest.mark.parametrize("words", ["she is fine now, but bleeding", "found her, but she is hurt"])
def test_english_found_but_hurt_is_no_all_clear(monkeypatch, tmp_path, sample_roster, words, lang):
    out = grandfather_says(monkeypatch, tmp_path, sample_roster, words, "--lang", lang)
    told = after(out, words)
    assert EVERYONE_ZH not in told and EVERYONE_EN not in told
    assert "没事了" not in told and "is fine" not in told.replace(words, "")
    assert any(f"“{words}”" in m for m in told_to(told, "王老师（班主任）" if lang == "zh_Hans" else
                                                                  "王老师 (class teacher)"))


@pytest.mark.parametrize("words", ["找到了，在邻居家", "找到了，谢谢老师"])
def test_found_with_harmless_details_is_still_the_all_clear(monkeypatch, tmp_path, sample_roster, words):
    out = grandfather_says(monkeypatch, tmp_path, sample_roster, words)
    assert after(out, words).startswith(EVERYONE_ZH)


@pytest.mark.parametrize("words", ["没事了。孩子不见了", "杨秀云没事了，就是发烧抽搐", "找到了，救命，发烧抽搐"])
def test_an_emergency_after_an_all_clear_is_an_emergency(monkeypatch, tmp_path, sample_roster, words):
    out = grandfather_says(monkeypatch, tmp_path, sample_roster, words)
    told = after(out, words)
    assert EVERYONE_ZH not in told
    assert any(m.startswith("【紧急】") and f"“{words}”" in m for m in told_to(told, "王老师（班主任）"))


@pytest.mark.parametrize("words", ["没事了，就是发烧抽搐", "救命！秀云找到了吗", "孩子抽搐了，不急，你们先忙"])
def test_no_incident_an_emergency_with_all_clear_words_is_urgent(monkeypatch, tmp_path, sample_roster, words):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as #43\n{words}\n/quit\n", AFTERNOON, "--all")
    assert any(m.startswith("【紧急】") and f"“{words}”" in m for m in told_to(after(out, words), "王老师（班主任）"))


@pytest.mark.parametrize("words", ["不对，孩子们都还没找到", "还没找到"])
def test_not_found_at_which_child_takes_the_all_clear_back(monkeypatch, tmp_path, sample_roster, words):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{BOTH_MISSING}没事了\n{words}\n1\n/quit\n", AFTERNOON,
                   "--all")
    assert "4. 撤回：孩子还没找到" in after(out, "没事了")
    told = after(out, words)
    assert told.startswith("已撤回您的“平安”消息：没有作为平安消息转告任何人。")
    assert "没事了" in "".join(told_to(told, "张老师（班主任）"))  # the family's words, quoted in full
    assert "都没事" not in out.split(f"> {words}\n", 1)[1] and "已转告收到" not in out.split(f"> {words}\n", 1)[1]


def test_take_it_back_choice_at_which_child(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{BOTH_MISSING}找到了\n4\n/quit\n", AFTERNOON, "--all",
                   "--lang", "en")
    told = after(out, "4")
    assert told.startswith("Your all clear was taken back: nothing was passed on as an all clear.")
    assert "passed to those alerted" not in told
