"""A sick child the grandfather cannot take to the doctor is never held behind a talk (fix6af, a new-user trial)."""

from __future__ import annotations

from tests.support.demo import after, run_demo

WORDS = "孩子发烧两天了，我腿脚不好带不去医院"


def test_a_sick_child_nobody_can_take_to_the_doctor_interrupts_the_talk(monkeypatch, tmp_path, sample_roster):
    script = f"/talk 杨秀云\n1\n:as #43\n{WORDS}\n:as 王老师\n1\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-02 10:00", "--all")
    said = after(out, WORDS)
    assert said.startswith("如果孩子病情加重（高烧、喘不上气、叫不醒），请马上拨打120。老师会给您打电话")
    assert "[→ 王老师（班主任）]\n【紧急】（2026年12月2日 10:00）张强" in said
    assert "孩子生病，家人没法带去看病：请今天就安排帮助。" in said
    assert "请先回答上面的问题" not in said  # not held behind her talk
    assert after(out, "1", ":as 王老师").startswith("请写下给张强的回复（关于杨秀云）：")


def test_a_cold_with_nobody_to_help_stays_an_ordinary_message(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as #43\n孩子有点感冒，没人管\n/quit\n", "2026-12-02 10:00",
                   "--all")
    said = after(out, "孩子有点感冒，没人管")
    assert said.startswith("谢谢。您关于杨秀云的留言已转给王老师（班主任）")
    assert "【紧急】" not in said
