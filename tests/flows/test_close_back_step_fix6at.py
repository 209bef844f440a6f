"""``返回`` while closing an incident goes back one question, as in a report (fix6at, breaker finding 3).

王老师 chose "5. 其他（请说明）" and, asked for the words, typed ``返回`` to pick another outcome: the whole close was
dropped ("已取消，没有保存任何内容").
"""

from __future__ import annotations

from tests.support.demo import after, run_demo

AT = "2026-12-04 10:00"
REPORT = "报告 杨秀云\n1\n1\n在操场摔倒了头破了\n1\n"
OUTCOME_ASKED = ("请说明孩子现在的情况：\n"
                 "1. 孩子在学校，安全 2. 孩子在家，安全 3. 已送诊所或医院 4. 孩子已找到 5. 其他（请说明）")


def test_back_at_the_words_for_other_asks_the_outcome_again(monkeypatch, tmp_path, sample_roster):
    script = REPORT + "结束事件\n5\n返回\n3\n在卫生院缝了三针\n返回\n跳过\n确认结束\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all")
    back = after(out, "返回")
    assert "已取消" not in back
    assert back.rstrip().endswith(OUTCOME_ASKED)
    assert after(out, "3", "返回").startswith("关于杨秀云，还有什么要告诉已收到通知的人吗？")
    assert after(out, "返回", "在卫生院缝了三针").startswith("关于杨秀云，还有什么要告诉已收到通知的人吗？")
    confirm = after(out, "跳过")
    assert "结果：已送诊所或医院" in confirm and "说明：" not in confirm
    assert after(out, "确认结束").startswith("事件已结束。")
