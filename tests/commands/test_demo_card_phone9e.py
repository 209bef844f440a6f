"""A guardian's phone corrected in chat follows the dashboard's rule: another person's number is refused (fix9e).

Found by testers: 王老师 typed her own number as 杨秀云's grandfather's new phone; the card showed old → new and
saved it on "保存", so the grandfather's alerts and check-ins would have gone to the teacher. The dashboard already
refused such a number (bot/services/card_phone.py). Now chat refuses it politely, in the person's language, asks
for the number again and changes nothing — also when the number became someone else's while "保存?" was open,
and when a new guardian is named with someone else's number.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo

WEEKDAY = "2026-12-02 10:00"
TEACHERS_OWN = "13800130739"  # 王老师's phone in the sample roster


def test_the_teachers_own_number_is_refused_and_the_grandfathers_stays(monkeypatch, tmp_path, sample_roster):
    script = (":as #43\n孩子发烧两天了\n:as 王老师\n/card 杨秀云\n2\n" + TEACHERS_OWN + "\n13900001234\n3\n"
              "/card 杨秀云\n3\n李芳 " + TEACHERS_OWN + " 外祖母\n/due\n/quit\n")
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, WEEKDAY)
    refused = after(out, TEACHERS_OWN)
    assert refused.startswith("138 0013 0739已登记为另一个人的电话号码，若使用它，杨秀云的紧急通知和每周联系会发给"
                              "那个人。没有做任何更改；请与家人核对号码后重新发送。"), refused
    assert "监护人的新电话号码（杨秀云）：" in refused and "→ 138 0013 0739" not in refused
    assert "保存" not in refused
    # A number of her own is shown old → new as before; she cancels.
    assert "138 0013 6956 → 139 0000 1234？" in after(out, "13900001234")
    assert after(out, "3").startswith("没有做任何更改。")
    card = after(out, "/card 杨秀云", nth=2)
    assert "• 委托监护人：张强（外祖父）138 0013 6956" in card, card
    named = after(out, "李芳 " + TEACHERS_OWN + " 外祖母")
    assert named.startswith("这个号码已登记为另一个人的电话号码"), named
    assert "杨秀云的新委托监护人：" in named
    # The grandfather's message still waits for her, with its Reply.
    assert "“孩子发烧两天了”" in after(out, "/due")


def test_a_number_taken_while_save_was_open_is_refused_on_save(monkeypatch, tmp_path, sample_roster):
    """The admin gives 丁倩's guardian 13900001234 while 王老师's 保存? for the same number is open (English)."""
    script = (":as 王老师\n/card 杨秀云\n2\n13900001234\n"
              ":as 刘主任\n/card 丁倩\n2\n13900001234\n1\n"
              ":as 王老师\n/card 杨秀云\n2\n13900001234\n/quit\n")
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, WEEKDAY, "--lang", "en")
    assert "138 0013 6956 → 139 0000 1234?" in after(out, "13900001234")
    assert "Saved; the change is recorded." in after(out, "1")
    again = after(out, "13900001234", nth=3)
    assert again.startswith("139 0000 1234 is already on record as another person's phone number, so 杨秀云's "
                            "alerts and check-ins would reach that person. Nothing was changed; please check the "
                            "number with the family and send it again."), again
    assert "Save" not in again
