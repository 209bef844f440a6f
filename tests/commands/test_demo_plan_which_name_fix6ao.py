"""A name typed at /plan's "which child?" (a new-user trial, fix6ao).

王老师 types ``/plan 杨秀`` (a name cut short) and is offered 杨秀云, numbered. She types the name, as she
would anywhere else, rather than the number: before, the name was not understood there. Now the full name, the
name families use (秀云) or another child of hers (杨婷) gets that child's plan; a child outside her classes
(刘婷婷, 张老师's pupil) is "not found", exactly as a name that exists nowhere, and the question is asked again.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo

AT = "2026-12-04 17:58"
OFFER = "杨秀云还没有个别教育管理方案。现在制定吗？\n1. 制定方案 2. 取消"


def test_the_childs_name_or_nickname_typed_at_which_child_opens_her_plan(monkeypatch, tmp_path, sample_roster):
    script = "/plan 杨秀\n杨秀云\n/cancel\n/plan 杨秀芸\n秀云\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT)
    offered = after(out, "/plan 杨秀")
    assert "您是指下面哪一位吗？" in offered and "1. 杨秀云（一年级（1）班）" in offered, offered
    assert after(out, "杨秀云").startswith(OFFER), after(out, "杨秀云")
    assert "1. 杨秀云（一年级（1）班）" in after(out, "/plan 杨秀芸")
    assert after(out, "秀云").startswith(OFFER), after(out, "秀云")


def test_a_child_outside_her_classes_is_not_found_and_the_question_asked_again(monkeypatch, tmp_path,
                                                                              sample_roster):
    script = "/plan 杨秀芸\n刘婷婷\n查无此人\n杨婷\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT)
    outside, nobody = after(out, "刘婷婷"), after(out, "查无此人")
    assert outside.startswith("没有找到您可以查看方案的、名叫刘婷婷的孩子。"), outside
    assert nobody.startswith("没有找到您可以查看方案的、名叫查无此人的孩子。"), nobody
    for reply in (outside, nobody):
        assert "您是指下面哪一位吗？" in reply and "1. 杨秀云（一年级（1）班）" in reply, reply
        assert "刘帅" not in reply and "张老师" not in reply
    assert after(out, "杨婷").startswith("杨婷还没有个别教育管理方案。现在制定吗？"), after(out, "杨婷")


def test_in_english_the_name_answers_too(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, "/plan 杨秀\n杨秀云\n/quit\n", AT, "--lang", "en")
    assert "Did you mean one of these?" in after(out, "/plan 杨秀")
    assert after(out, "杨秀云").startswith("杨秀云 has no open individual education plan."), after(out, "杨秀云")
