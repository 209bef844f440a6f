"""Issue 9, found by new users: a guardian's phone corrected in chat was saved at once, a typo and all.

王老师 corrects the phone of 杨秀云's grandfather 张强 on her card: she is shown the old and the new number,
naming him and the child, and the number changes only when she confirms (numbered answers, as everywhere).
"""

from __future__ import annotations

from tests.support.demo import after, run_demo

AT = "2026-12-04 17:58"
CORRECT = ":as 王老师\n/card 杨秀云\n2\n13900001234\n"


def test_a_phone_is_saved_only_when_confirmed(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, CORRECT + "1\n/quit\n", AT)
    asked = after(out, "13900001234")
    assert "更改杨秀云的监护人张强的电话：" in asked and "→ 139 0000 1234？" in asked
    assert "1. 保存 2. 重新输入 3. 取消" in asked and "已保存" not in asked
    saved = after(out, "1", "13900001234")
    assert saved.startswith("已保存，修改已记录。") and "张强（外祖父）139 0000 1234" in saved


def test_a_cancelled_phone_change_changes_nothing(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, CORRECT + "3\n/card 杨秀云\n/quit\n", AT)
    assert after(out, "3", "13900001234").startswith("没有做任何更改。")
    assert "139 0000 1234" not in after(out, "/card 杨秀云", "3")


def test_the_phone_change_is_confirmed_in_english(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, CORRECT + "1\n/quit\n", AT, "--lang", "en")
    asked = after(out, "13900001234")
    assert "Change the phone of 张强 (杨秀云's guardian): " in asked and "→ 139 0000 1234?" in asked
    assert "1. Save 2. Type it again 3. Cancel" in asked


def test_the_number_already_on_record_is_not_asked_to_be_confirmed(monkeypatch, tmp_path, sample_roster):
    script = ":as 王老师\n/card 杨秀云\n2\n138 0013 6956\n/quit\n"
    said = after(run_demo(monkeypatch, tmp_path, sample_roster, script, AT), "138 0013 6956")
    assert said.startswith("这就是档案里现有的号码，没有更改。"), said
    assert "→" not in said
