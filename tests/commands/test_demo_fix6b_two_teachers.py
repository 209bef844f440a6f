"""A guardian whose children are in two classes is told every class teacher who reads her message (fix6b).

Found by a new user: 李雪's ``两个孩子都感冒了`` after a "good" check-in reached both class teachers (张老师 of
刘婷婷, 王老师 of 刘帅 in the ``split_roster``), but she was told only of 张老师. Now one line names them all,
joined as the language joins a list's last name ("和", "and").
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"


def test_a_checkin_note_about_both_names_both_class_teachers(monkeypatch, tmp_path, split_roster):
    out = run_demo(monkeypatch, tmp_path, split_roster, ":wait 2m\n:as 李雪\n1\n两个孩子都感冒了\n/quit\n", FRIDAY)
    told = after(out, "两个孩子都感冒了")
    assert told.startswith("谢谢。您关于刘帅、刘婷婷的留言已转给张老师（班主任）和王老师（班主任），"
                           "老师们看到后会在这里回复您。\n")
    assert told_to(told, "张老师（班主任）") and told_to(told, "王老师（班主任）")
    assert "还在等您回答：\n\n刘帅这周过得怎么样？" in told  # the other check-in, waiting in the same chat


def test_in_english_the_two_teachers_are_joined_by_and(monkeypatch, tmp_path, split_roster):
    script = ":wait 2m\n:as 李雪\n1\nboth kids have a cold\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, split_roster, script, FRIDAY, "--lang", "en")
    told = after(out, "both kids have a cold")
    assert told.startswith("Thank you. Your message about 刘帅, 刘婷婷 was passed to 张老师 (class teacher) and "
                           "王老师 (class teacher), who will read it and answer you here.\n")


def test_a_message_for_both_children_says_so_in_one_line(monkeypatch, tmp_path, split_roster):
    out = run_demo(monkeypatch, tmp_path, split_roster, ":as 李雪\n明天我不能去接孩子\n3\n/quit\n", "2026-12-02 10:00")
    told = after(out, "3")
    assert told.startswith("谢谢。您关于刘帅、刘婷婷的留言已转给王老师（班主任）和张老师（班主任），"
                           "老师们看到后会在这里回复您。\n")
    assert told.count("谢谢。") == 1
