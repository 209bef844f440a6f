"""The leave-out reason question, asked again after something else, is named as itself (fix9w, item 3).

王老师 leaves 张强 out of the report about 杨秀云 and, at "why should 张强 get no further messages?", looks at
``/due``. The question came back under "继续结束杨秀云的事件" — closing the incident, which she was not doing. Now it
is named as the leave-out question.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo

AT = "2026-12-04 17:58"
SCRIPT = ":as 王老师\n报告 杨秀云\n1\n1\n在操场摔倒了头破了\n1\n/due\n1\n2\n1\n/due\n爷爷不宜通知\n/quit\n"


def test_the_reason_question_comes_back_named_as_itself(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, SCRIPT, AT, "--all")
    again = after(out, "/due", nth=2)
    assert "继续写明为什么不再通知张强（关于杨秀云的事件）：\n\n为什么不再通知张强？" in again, again
    assert "继续结束" not in again
    assert after(out, "爷爷不宜通知").startswith("已排除张强")


def test_in_english_too(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, SCRIPT, AT, "--all", "--lang", "en")
    again = after(out, "/due", nth=2)
    assert "Back to why 张强 is left out of the incident about 杨秀云:\n\nWhy should 张强 get no" in again, again
    assert "Back to closing" not in again
    assert after(out, "爷爷不宜通知").startswith("Left out: 张强.")
