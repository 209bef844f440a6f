"""A misspelt name after ``/card`` or ``/talks`` (档案, 谈心记录) offers the closest names, as ``/talk`` does (fix6c).

Issue 6 item 3: a misspelt name offers the closest names, numbered, only among the children the person may see,
so the answer still reveals nothing outside their scope. 王老师 teaches 杨婷 and 杨秀云 (一年级（1）班); 刘帅 is
in 张老师's class.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo

WEEKDAY = "2026-12-02 10:00"
OFFER = ("在您负责的班级里没有找到名叫{typed}的孩子。您是指下面哪一位吗？如果都不是，请重新发送姓名。\n"
         "1. {name}（一年级（1）班）")


def test_card_of_a_misspelt_name_offers_the_closest_and_the_number_opens_it(monkeypatch, tmp_path, sample_roster):
    script = ":as 王老师\n/card 杨亭\n1\n档案杨秀芸\n1\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, WEEKDAY)
    assert after(out, "/card 杨亭").startswith(OFFER.format(typed="杨亭", name="杨婷"))
    assert after(out, "1", "/card 杨亭").startswith("杨婷的档案（一年级（1）班）：\n• 班主任：王老师")
    assert after(out, "档案杨秀芸").startswith(OFFER.format(typed="杨秀芸", name="杨秀云"))
    assert after(out, "1", "档案杨秀芸").startswith("杨秀云的档案（一年级（1）班）：")


def test_talks_of_a_misspelt_name_offers_the_closest_and_the_number_opens_them(monkeypatch, tmp_path,
                                                                               sample_roster):
    script = ":as 王老师\n/talks 杨亭\n1\n谈心记录：杨秀芸\n杨婷\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, WEEKDAY)
    assert after(out, "/talks 杨亭").startswith(OFFER.format(typed="杨亭", name="杨婷"))
    assert after(out, "1", "/talks 杨亭").startswith("还没有与杨婷的谈心记录。")
    assert after(out, "谈心记录：杨秀芸").startswith(OFFER.format(typed="杨秀芸", name="杨秀云"))
    # "Otherwise send the name again": a name typed at the question is a new search.
    assert after(out, "杨婷").startswith("还没有与杨婷的谈心记录。")


def test_a_close_name_outside_ones_scope_reveals_nothing(monkeypatch, tmp_path, sample_roster):
    script = ":as 王老师\n/card 杨亭\n/card 刘师\n/card 某某某\n/talks 刘师\n/talks 某某某\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, WEEKDAY)
    assert "1. 杨婷" in after(out, "/card 杨亭")
    # 刘帅 is close to 刘师 but not 王老师's: the same answer as a name nobody has.
    assert after(out, "/card 刘师") == after(out, "/card 某某某").replace("某某某", "刘师")
    assert "刘帅" not in after(out, "/card 刘师") and "1." not in after(out, "/card 刘师")
    assert after(out, "/talks 刘师") == after(out, "/talks 某某某").replace("某某某", "刘师")
    assert "刘帅" not in after(out, "/talks 刘师")


def test_in_english(monkeypatch, tmp_path, sample_roster):
    script = ":as 王老师\n/card 杨亭\n1\n/talks 杨亭\n1\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, WEEKDAY, "--lang", "en")
    assert after(out, "/card 杨亭").startswith(
        "I couldn't find a child called 杨亭 in your classes. Did you mean one of these? Otherwise send the name "
        "again.\n1. 杨婷 (一年级（1）班)")
    assert after(out, "1", "/card 杨亭").startswith("Card of 杨婷 (一年级（1）班):")
    assert after(out, "1", "/talks 杨亭").startswith("No talk with 杨婷 is recorded yet.")
