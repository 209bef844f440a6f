"""A family message about two children is about both (issue 6 item 4, conv6u).

李雪 is the entrusted guardian of 刘婷婷 and 刘帅 (一年级（3）班, class teacher 张老师; 刘帅's helper teacher
is 唐老师). Her ``两个孩子都感冒了`` was kept under 刘婷婷 only: 刘帅's card and his helper teacher never
showed it. It is now linked to both children (``family_message_children``).
"""

from __future__ import annotations

from tests.support.demo import after as _after
from tests.support.demo import run_demo
from tests.support.demo import told_to as _to

WEEKDAY = "2026-12-02 10:00"
SAID = "两个孩子都感冒了"


def test_the_second_childs_card_shows_the_message_and_whether_it_was_answered(monkeypatch, tmp_path,
                                                                                sample_roster):
    script = (f":as 李雪\n{SAID}\n:as 唐老师\n/card 刘帅\n:as 张老师\n/due\n1\n知道了，明天我给两个孩子量体温\n"
              "/card 刘帅\n:as 唐老师\n/card 刘帅\n/quit\n")
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, WEEKDAY)
    assert _after(out, SAID).startswith("谢谢。您关于刘婷婷、刘帅的留言已转给张老师（班主任）")
    # 刘帅's helper teacher follows the family up: the message is on his card, filed under 刘婷婷 or not.
    card = _after(out, "/card 刘帅", ":as 唐老师")
    assert ("家人关于刘帅的留言（最新的在前）：\n"
            f"• 2026年12月2日 10:00 李雪（关于刘婷婷、刘帅）：“{SAID}”——尚未回复") in card
    assert "见 /due" not in card  # a helper teacher cannot answer it: his /due does not list it
    # /due shows it again naming both children, and 张老师 answers it there.
    assert _after(out, "/due").startswith(f"李雪（刘婷婷、刘帅的外祖母，一年级（3）班）留言：\n“{SAID}”")
    assert _after(out, "1", "/due").startswith("请写下给李雪的回复（关于刘婷婷、刘帅）：")
    answered = _after(out, "知道了，明天我给两个孩子量体温")
    assert "张老师（刘婷婷、刘帅的班主任）回复了您的留言：" in "\n".join(_to(answered, "李雪（委托监护人）"))
    # The class teacher's card of 刘帅, and the helper teacher's again: answered, and by whom.
    again = _after(out, "/card 刘帅", "知道了，明天我给两个孩子量体温")
    assert f"• 2026年12月2日 10:00 李雪（关于刘婷婷、刘帅）：“{SAID}”——张老师已回复" in again
    helper = out.rsplit("> /card 刘帅\n", 1)[1]  # 唐老师's second look
    assert f"• 2026年12月2日 10:00 李雪（关于刘婷婷、刘帅）：“{SAID}”——张老师已回复" in helper


def test_the_second_childs_card_in_english(monkeypatch, tmp_path, sample_roster):
    script = ":as 李雪\nBoth children have a cold\n:as 唐老师\n/card 刘帅\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, WEEKDAY, "--lang", "en")
    card = _after(out, "/card 刘帅")
    assert "Families' messages about 刘帅 (newest first):\n• " in card
    assert "李雪 about 刘婷婷, 刘帅: “Both children have a cold” — not answered yet\n" in card + "\n"


def test_a_message_about_one_child_is_not_on_the_siblings_card(monkeypatch, tmp_path, sample_roster):
    script = ":as 李雪\n婷婷发烧了\n:as 唐老师\n/card 刘帅\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, WEEKDAY)
    assert _after(out, "婷婷发烧了").startswith("谢谢。您关于刘婷婷的留言已转给张老师（班主任）")
    assert "婷婷发烧了" not in _after(out, "/card 刘帅") and "家人关于刘帅的留言" not in _after(out, "/card 刘帅")
