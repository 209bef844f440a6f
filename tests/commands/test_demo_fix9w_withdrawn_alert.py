"""Left out after his alert was sent, 张强's chat no longer holds it (fix9w, item 1).

王老师 reports that 杨秀云 split her head open; 张强, her grandfather, is sent the alert; the teacher then leaves him
out (排除某人). His next ``1`` read "that button is no longer valid" (the alert had been real), and with the Friday
check-in queued behind the alert it was held "until the incident about 杨秀云 is closed". Now his reply is handled
as if that alert never reached him: nothing acknowledged, nothing naming the incident, and the check-in waiting
behind it comes back with its choices.
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo, told_to

AT = "2026-12-04 17:58"
REPORT = ":as 王老师\n报告 杨秀云\n1\n1\n在操场摔倒了头破了\n1\n"
LEAVE_OUT = ":as 王老师\n/due\n1\n2\n1\n爷爷不宜通知\n"


def _lang(lang: str) -> list[str]:
    return ["--lang", "en"] if lang == "en" else []


def _his_part(out: str) -> str:
    return out.split("> :as #43\n", 1)[1].split("\n> :as 王老师", 1)[0]


@pytest.mark.parametrize("lang", ["zh_Hans", "en"])
def test_his_replies_meet_no_alert_and_confirm_nothing(monkeypatch, tmp_path, sample_roster, lang):
    script = f"{REPORT}{LEAVE_OUT}:as #43\n1\n收到\n好的\n:as 王老师\n/due\n1\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all", *_lang(lang))
    mine = _his_part(out)
    assert "[→ " not in mine  # nothing reaches the teacher: no acknowledgement, no words passed on
    for word in ("杨秀云", "失效", "no longer valid", "incident", "事件", "确认收到", "acknowledg"):
        assert word not in mine, (word, mine)
    if lang == "en":
        assert after(out, "1", since=":as #43") == "No question of mine is waiting for a number just now.\n"
        assert "No question of mine is waiting for your answer" in after(out, "收到")
    else:
        assert after(out, "1", since=":as #43") == "现在没有需要回复数字的问题。\n"
        assert "目前没有需要您回答的问题" in after(out, "收到") and "目前没有需要您回答的问题" in after(out, "好的")
    timeline = after(out, "1", since="好的")  # the teacher's view: he never acknowledged
    step1 = next(line for line in timeline.splitlines() if "张强" in line and ("第1步" in line or "Step 1" in line))
    assert step1.endswith(("确认：已排除", "acknowledged: left out")), step1


@pytest.mark.parametrize("lang", ["zh_Hans", "en"])
def test_the_check_in_queued_behind_the_alert_comes_back_and_his_1_answers_nothing_else(
        monkeypatch, tmp_path, sample_roster, lang):
    # Friday 18:00: the check-in arrives behind the alert ("answer the alert first").
    script = f"{REPORT}:wait 2m\n{LEAVE_OUT}:as #43\n1\n1\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all", *_lang(lang))
    queued = [m for m in told_to(after(out, ":wait 2m"), "张强（委托监护人）" if lang == "zh_Hans" else
                                 "张强 (entrusted guardian)") if "杨秀云" in m]
    assert queued, "the check-in is sent behind the alert"
    first = after(out, "1", since=":as #43")
    if lang == "en":
        assert first.startswith("Still waiting for your answer:") and "1. All good" in first, first
    else:
        assert first.strip() == "还在等您回答：\n\n杨秀云这周过得怎么样？\n1. 很好 2. 一般 3. 需要帮助", first
    assert "[→ " not in first
    for word in ("事件", "incident", "失效", "no longer valid", "等一等", "wait until"):
        assert word not in first and word not in after(out, "1", since=":as #43", nth=2), word
    recorded = after(out, "1", since=":as #43", nth=2)
    assert ("已记录：杨秀云这周很好" in recorded) if lang == "zh_Hans" else ("杨秀云" in recorded)
