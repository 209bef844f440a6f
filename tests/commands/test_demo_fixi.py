"""A check-in note about both children, the waiting message named in full, a guardian's 报告 word for word.

李雪 is the grandmother of 刘婷婷 and 刘帅 (class teacher 张老师; helper teachers 袁辉老师 for 刘婷婷 and
唐老师 for 刘帅). Found by a trial with new users (issue 6 item 4).
"""

from __future__ import annotations

from tests.support.demo import after as _after
from tests.support.demo import run_demo
from tests.support.demo import told_to as _to

FRIDAY = "2026-12-04 17:58"  # :wait 2m: the Friday 18:00 check-in
WEEKDAY = "2026-12-02 10:00"
TEACHER = "张老师（班主任）"


def test_a_checkin_note_about_both_children_is_filed_under_both(monkeypatch, tmp_path, sample_roster):
    said = "两个孩子都想妈妈了"
    script = f":wait 2m\n:as 李雪\n1\n1\n2\n{said}\n:as 袁辉老师\n/card 刘婷婷\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all")
    told = _after(out, said)
    assert told.startswith("谢谢。您关于刘婷婷、刘帅的留言已转给张老师（班主任），老师看到后会在这里回复您。\n"
                           "帮扶教师唐老师、袁辉老师也会在每日汇总里看到。")
    assert told.count("[→ ") == 1  # one message to 张老师 naming both, not one per child
    teacher = "\n".join(_to(told, TEACHER))
    assert "李雪（刘帅、刘婷婷的外祖母，一年级（3）班）留言：\n“两个孩子都想妈妈了”" in teacher
    # 刘婷婷's helper teacher finds it on her card, as for the same words sent outside a question.
    card = _after(out, "/card 刘婷婷")
    assert f"李雪（关于刘帅、刘婷婷）：“{said}”——尚未回复" in card
    assert "见 /due" not in card  # a helper teacher cannot answer it: his /due does not list it (fixm)


def test_a_checkin_note_about_both_kids_in_english(monkeypatch, tmp_path, sample_roster):
    said = "both kids miss their mum"
    script = f":wait 2m\n:as 李雪\n1\n1\n2\n{said}\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all", "--lang", "en")
    assert _after(out, said).startswith(
        "Thank you. Your message about 刘婷婷, 刘帅 was passed to 张老师 (class teacher), who will read it and "
        "answer you here.\n唐老师, 袁辉老师 (helper teachers) will read it in the daily summary too.")


def test_a_note_about_one_child_at_the_checkin_stays_that_childs(monkeypatch, tmp_path, sample_roster):
    said = "孩子最近晚上咳嗽"
    script = f":wait 2m\n:as 李雪\n1\n1\n2\n{said}\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all")
    assert _after(out, said).startswith("谢谢。您关于刘帅的留言已转给张老师（班主任）")


def test_words_about_all_the_children():
    from bot.domain.child_mentions import about_all

    assert about_all("两个孩子都想妈妈了") and about_all("孩子们最近很乖") and about_all("Both kids miss their mum")
    assert not about_all("孩子最近都不吃饭") and not about_all("孩子最近晚上咳嗽")
    assert not about_all("he misses his mum")


def test_the_message_waiting_above_is_named_with_every_child_it_is_about(monkeypatch, tmp_path, sample_roster):
    script = ":as 李雪\n两个孩子都感冒了\n婷婷发烧了\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, WEEKDAY)
    second = "\n".join(_to(_after(out, "婷婷发烧了"), TEACHER))
    assert "请先回答上面的问题（李雪发来的关于刘婷婷、刘帅的留言：2026年12月2日 10:00“两个孩子都感冒了”）" in second


def test_the_message_waiting_above_in_english(monkeypatch, tmp_path, sample_roster):
    script = ":as 李雪\nBoth children have a cold\n婷婷 has a fever\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, WEEKDAY, "--lang", "en")
    second = "\n".join(_to(_after(out, "婷婷 has a fever"), "张老师 (class teacher)"))
    assert "the message from 李雪 about 刘婷婷, 刘帅" in second


def test_a_guardians_report_about_a_child_not_hers_reaches_the_teacher_word_for_word(monkeypatch, tmp_path,
                                                                                      sample_roster):
    script = ":as 李雪\n报告 杨秀云\n:as 张老师\n1\n:as 李雪\n报告 王小明\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, WEEKDAY)
    told = _after(out, "报告 杨秀云")
    assert _to(told, TEACHER) == ["李雪（刘婷婷、刘帅的外祖母，一年级（3）班）留言：\n“报告 杨秀云”\n"
                                  "电话：150 0013 1019\n1. 回复\n"]
    # She is told nothing about 杨秀云: the same answer as for a name no child at the school has.
    unknown = _after(out, "报告 王小明")
    assert "“报告 王小明”" in "\n".join(_to(unknown, TEACHER))
    assert told.split("[→ ")[0] == unknown.split("[→ ")[0]
    assert "杨秀云" not in told.split("[→ ")[0]


def test_a_guardians_report_about_a_child_not_hers_in_english(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 李雪\n/report 杨秀云\n/quit\n", WEEKDAY, "--lang", "en")
    assert "“/report 杨秀云”" in "\n".join(_to(_after(out, "/report 杨秀云"), "张老师 (class teacher)"))
