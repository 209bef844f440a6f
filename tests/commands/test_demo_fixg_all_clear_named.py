"""An all clear that names the child or says "all of them", with the child's incident open (fixg, issue 6).

A tester on check-in day: ``杨秀云没事了`` from the grandfather who confirmed the alert about the missing 杨秀云
was recorded as "杨秀云这周很好" and reached nobody handling the incident; ``刘帅没事了`` from a grandmother of two
answered the check-in of whichever child was shown; ``孩子都没事了`` recorded both children "都很好". On other
days the named form reached the reporter only, as ordinary words. Now the words are the incident's all clear,
for everyone alerted, and the check-in is asked again.
"""

from __future__ import annotations

import pytest

from tests.support.all_clear_world import AFTERNOON, FRIDAY, MISSING_XIUYUN, grandfather_says
from tests.support.demo import after, run_demo, told_to

MISSING_SHUAI = ":as 张老师\n报告 刘帅\n3\n1\n放学后没回家，找不到人\n1\n:wait 2m\n:as 李雪\n1\n"


@pytest.mark.parametrize("words", ["杨秀云没事了", "秀云没事了", "杨秀云沒事了"])
def test_the_named_child_is_fine_reaches_everyone_alerted_and_the_check_in_returns(monkeypatch, tmp_path,
                                                                                   sample_roster, words):
    out = grandfather_says(monkeypatch, tmp_path, sample_roster, words, at=FRIDAY)
    told = after(out, words)
    assert "已记录" not in told
    assert told.startswith("谢谢。您关于杨秀云的话已转告收到这起突发事件通知的人：王老师、杨杨、谢冬梅")
    assert "还在等您回答：\n\n杨秀云这周过得怎么样？\n1. 很好 2. 一般 3. 需要帮助" in told
    for reader in ("王老师（班主任）", "杨杨（外出务工父母）", "谢冬梅（外出务工父母）"):
        assert any(f"“{words}”" in m and "回复了关于杨秀云" in m for m in told_to(told, reader)), reader


# 两个孩子都很好 reads like the week's answer: words for the reporter, no all clear (fix6u, test_checkin_like_fix6u)
@pytest.mark.parametrize("words", ["刘帅没事了", "帅帅没事了", "孩子都没事了", "孩子都沒事了"])
def test_words_for_the_child_with_the_incident_or_for_both_are_its_all_clear(monkeypatch, tmp_path,
                                                                              sample_roster, words):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{MISSING_SHUAI}{words}\n/quit\n", FRIDAY, "--all")
    told = after(out, words)
    assert "已记录" not in told  # neither child's week is rated by news about the incident
    assert told.startswith("谢谢。您关于刘帅的话已转告收到这起突发事件通知的人：张老师")
    assert "还在等您回答：\n\n刘婷婷这周过得怎么样？" in told
    assert any(f"“{words}”" in m and "回复了关于刘帅" in m for m in told_to(told, "张老师（班主任）"))


def test_words_naming_the_sibling_without_an_incident_still_answer_her_check_in(monkeypatch, tmp_path,
                                                                                 sample_roster):
    script = f"{MISSING_SHUAI}婷婷很好\n刘帅没事了\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all")
    told = after(out, "婷婷很好")
    assert "刘婷婷这周很好" in told  # no incident about her: her check-in's answer, as before
    assert "已转告收到这起突发事件通知的人" not in told
    assert after(out, "刘帅没事了").startswith("谢谢。您关于刘帅的话已转告收到这起突发事件通知的人：张老师")


@pytest.mark.parametrize("words", ["杨秀云还没回来", "秀云不是没事"])
def test_a_negation_naming_the_child_is_no_all_clear(monkeypatch, tmp_path, sample_roster, words):
    script = f"{MISSING_XIUYUN}{words}\n杨秀云没事了\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all")
    told = after(out, words)
    assert "已转告收到这起突发事件通知的人" not in told
    assert "杨秀云这周很好" not in told
    # The all clear that follows is one (and the first of this grandfather's: everyone alerted hears it).
    cleared = after(out, "杨秀云没事了")
    assert cleared.startswith("谢谢。您关于杨秀云的话已转告收到这起突发事件通知的人：王老师、杨杨、谢冬梅")


def test_the_named_child_is_fine_on_another_day_reaches_everyone_alerted(monkeypatch, tmp_path, sample_roster):
    out = grandfather_says(monkeypatch, tmp_path, sample_roster, "杨秀云没事了", at=AFTERNOON)
    told = after(out, "杨秀云没事了")
    assert told.startswith("谢谢。您关于杨秀云的话已转告收到这起突发事件通知的人：王老师、杨杨、谢冬梅")
    assert told_to(told, "杨杨（外出务工父母）") and told_to(told, "谢冬梅（外出务工父母）")
