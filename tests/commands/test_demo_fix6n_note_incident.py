"""Words at one grandchild's check-in note naming the other, whose incident is open (issue 6 trial, fix6n).

李雪 (guardian of 刘婷婷 and 刘帅) confirmed 张老师's alert about 婷婷's fall, answered 刘帅's check-in ``2``,
and at 刘帅's note question wrote ``婷婷手还疼吗``: it went as a general message, not to 婷婷's open incident
(the README promises those are attached to it), and 刘帅's note question was forgotten, so her
``帅帅最近不爱说话`` went as a general message without "写于每周联系回答…之后".
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

AT = "2026-12-04 17:58"
TEACHER_ZH = "张老师（班主任）"


def _script(checkin_skip: str, report: str, ack: str) -> str:
    return (f":wait 2m\n:as 李雪\n1\n{checkin_skip}\n:as 张老师\n{report} 刘婷婷\n1\n2\n在操场摔了一跤，手擦破了\n1\n"
            f":as 李雪\n{ack}\n2\n")


def test_words_about_tingting_at_shuais_note_reach_her_incident_and_his_note_is_asked_again(
        monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, _script("跳过", "报告", "好的")
                   + "婷婷手还疼吗\n帅帅最近不爱说话\n", AT, "--all")
    about_her = after(out, "婷婷手还疼吗")
    assert "您关于刘婷婷（2026年12月4日 18:00报告的突发事件）的留言已马上转给张老师" in about_her
    assert any("回复了关于刘婷婷" in m and "“婷婷手还疼吗”" in m for m in told_to(about_her, TEACHER_ZH))
    assert "关于刘帅，还有什么想告诉老师的吗？" in about_her.split("[→")[0]
    about_him = told_to(after(out, "帅帅最近不爱说话"), TEACHER_ZH)
    assert any("“帅帅最近不爱说话”" in m and "写于每周联系回答“一般”之后" in m for m in about_him)


def test_in_english_the_words_reach_the_incident_and_the_note_is_asked_again(monkeypatch, tmp_path,
                                                                             sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, _script("skip", "report", "ok")
                   + "does 婷婷's hand still hurt\n帅帅 is very quiet lately\n", AT, "--all", "--lang", "en")
    about_her = after(out, "does 婷婷's hand still hurt")
    assert "Your message about 刘婷婷 (the incident reported at" in about_her
    assert "Anything you would like to tell 刘帅's teacher?" in about_her.split("[→")[0]
    about_him = told_to(after(out, "帅帅 is very quiet lately"), "张老师 (class teacher)")
    assert any("“帅帅 is very quiet lately”" in m and "check-in" in m for m in about_him)
