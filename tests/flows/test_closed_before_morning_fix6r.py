"""A minor incident reported at night and closed before 07:00 still reaches the family at 07:00 (fix6r, F6).

王老师 reports at 21:30 that 杨婷 coughs and has a slight fever; she is told "将于2026年12月3日 07:00通知家人". She
closes it at 22:00 ("孩子在家，安全": 杨婷 is no boarder, and at 21:30 that comes first,
fix6al). 杨婷's guardian 杨兵 (#49) never heard of it; now he gets, at 07:00, one
message with the incident, what was reported and its outcome — and nothing during the night.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

NIGHT = "2026-12-02 21:30"
SCRIPT = "报告 杨婷\n2\n2\n咳嗽，有点发烧\n1\n:wait 30m\n结束事件\n1\n跳过\n确认结束\n:as #49\n:wait 8h\n:wait 1h\n"
SCRIPT_EN = ("report 杨婷\n2\n2\ncoughing, a slight fever\n1\n:wait 30m\nclose incident\n1\nskip\nconfirm close\n"
             ":as #49\n:wait 8h\n:wait 1h\n")


def test_the_family_hears_of_it_in_the_morning(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, SCRIPT, NIGHT, "--all")
    assert "将于2026年12月3日 07:00通知家人" in after(out, "1", "咳嗽，有点发烧")
    assert told_to(after(out, "确认结束"), "杨兵（委托监护人）") == []
    assert told_to(after(out, ":wait 8h"), "杨兵（委托监护人）") == []  # 06:00: still the quiet hours
    [notice] = told_to(after(out, ":wait 1h"), "杨兵（委托监护人）")
    assert notice.startswith("关于杨婷（一年级（1）班）的突发事件（生病，报告于2026年12月2日 21:30）已由王老师于"
                             "2026年12月2日 22:00结束。结果：孩子在家，安全。")
    assert "报告内容：咳嗽，有点发烧" in notice
    assert "确认收到" not in out.split("> :as #49", 1)[1]  # the alert itself is not sent after the close


def test_in_english_too(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, SCRIPT_EN, NIGHT, "--all", "--lang", "en")
    [notice] = told_to(after(out, ":wait 1h"), "杨兵 (entrusted guardian)")
    assert "What was reported: coughing, a slight fever" in notice and "was closed by 王老师" in notice
