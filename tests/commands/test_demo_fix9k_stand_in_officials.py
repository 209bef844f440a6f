"""When every leader and admin is left out of an abuse report, the education bureau carries it, then the town (fix9k).

王老师 reports that 王校长 hurts 杨秀云 and leaves him out; 刘主任, the only admin, stands in. She then
leaves 刘主任 out too (he is the principal's relative): the report goes to 镇教育办张科长 with 确认收到. When she
leaves him out as well, to 镇政府李干事. Nobody left out hears any more of it; the town official can
acknowledge it and the reporter is told.
"""

from __future__ import annotations

from tests.support.demo import after, leaving_out, run_demo, told_to

AT = "2026-12-02 10:00"
REPORT = ":as 王老师\n报告 杨秀云\n5\n王校长经常把她叫到办公室，她身上有伤\n2\n1\n被举报的就是校长本人\n1\n"
ADMIN_OUT = "/due\n1\n2\n1\n刘主任是校长的亲戚\n"
BUREAU_OUT = "/due\n1\n2\n1\n张科长和校长是同学\n"
LEFT_OUT_LOOK = ":as 王校长\n/due\n:as 刘主任\n/due\n结束事件\n:as 镇教育办张科长\n/due\n"


def _alerts(told: str, reader: str) -> list[str]:
    return [m for m in told_to(told, reader) if m.startswith("儿童保护报告") and "她身上有伤" in m]


def test_the_bureau_carries_it_when_the_principal_and_the_admin_are_left_out(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{REPORT}{ADMIN_OUT}:wait 1h\n{LEFT_OUT_LOOK}/quit\n",
                   AT, "--all")
    # Left out when picked (fix9t): the bureau's alert comes at the pick, "已排除" after the reason.
    assert after(out, "刘主任是校长的亲戚").startswith("已排除刘主任")
    told = leaving_out(out, "刘主任是校长的亲戚")
    [alert] = _alerts(told, "镇教育办张科长（教育主管部门）")
    assert "确认收到" in alert and "联系报告人王老师" in alert
    assert told_to(told, "刘主任（管理员）") == [] and told_to(told, "王校长（校领导）") == []
    assert told_to(told, "镇政府李干事（镇党委政府）") == []  # the bureau carries it: the town is not told
    waited = after(out, ":wait 1h")
    assert told_to(waited, "刘主任（管理员）") == [] and told_to(waited, "王校长（校领导）") == []
    assert any("杨秀云" in m for m in told_to(waited, "镇教育办张科长（教育主管部门）"))  # reminded, not dropped
    for who in ("王校长", "刘主任"):
        assert "杨秀云" not in after(out, "/due", since=f":as {who}")
    assert "您没有可以结束的突发事件。" in after(out, "结束事件", since=":as 刘主任")


def test_the_town_carries_it_when_the_bureau_is_left_out_too(monkeypatch, tmp_path, sample_roster):
    script = f"{REPORT}{ADMIN_OUT}{BUREAU_OUT}:wait 1h\n{LEFT_OUT_LOOK}:as 镇政府李干事\n1\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all")
    assert after(out, "张科长和校长是同学").startswith("已排除镇教育办张科长")
    told = leaving_out(out, "张科长和校长是同学")
    [alert] = _alerts(told, "镇政府李干事（镇党委政府）")
    assert "确认收到" in alert
    for left in ("王校长（校领导）", "刘主任（管理员）", "镇教育办张科长（教育主管部门）"):
        assert told_to(told, left) == []
        assert told_to(after(out, ":wait 1h"), left) == []
    assert "杨秀云" not in after(out, "/due", since=":as 镇教育办张科长")
    acknowledged = after(out, "1", since=":as 镇政府李干事")
    assert any("李干事" in m and "确认" in m for m in told_to(acknowledged, "王老师（班主任）"))
    for left in ("王校长（校领导）", "刘主任（管理员）", "镇教育办张科长（教育主管部门）"):
        assert told_to(acknowledged, left) == []


def test_in_english_the_town_official_gets_the_full_alert(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{REPORT}{ADMIN_OUT}{BUREAU_OUT}/quit\n", AT, "--all",
                   "--lang", "en")
    told = leaving_out(out, "张科长和校长是同学")
    to_town = [m for m in told.split("[→ ")[1:] if m.startswith("镇政府李干事")]
    assert len(to_town) == 1 and "她身上有伤" in to_town[0] and "Acknowledge" in to_town[0]
    assert not [m for m in told.split("[→ ")[1:] if m.startswith(("王校长", "刘主任", "镇教育办张科长"))]


def test_the_reporter_is_told_who_stood_in_and_never_why(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{REPORT}{ADMIN_OUT}{BUREAU_OUT}/quit\n", AT, "--all")
    at_report = [m.strip() for m in told_to(after(out, "1", since="被举报的就是校长本人"), "王老师（班主任）")]
    assert "您关于杨秀云的报告：王校长已被排除，已转给管理员（刘主任）。" in at_report
    to_bureau = [m.strip() for m in told_to(leaving_out(out, "刘主任是校长的亲戚"), "王老师（班主任）")]
    assert to_bureau == ["您关于杨秀云的报告：王校长、刘主任已被排除，已转给教育主管部门（镇教育办张科长）。"]
    to_town = [m.strip() for m in told_to(leaving_out(out, "张科长和校长是同学"), "王老师（班主任）")]
    assert to_town == ["您关于杨秀云的报告：王校长、刘主任、镇教育办张科长已被排除，已转给镇党委政府（镇政府李干事）。"]
    notices = "".join(at_report + to_bureau + to_town)
    assert "亲戚" not in notices and "同学" not in notices and "被举报" not in notices  # never why
    # The stand-ins' alerts never say who was left out, nor why.
    for m in _alerts(after(out, "1", since="被举报的就是校长本人"), "刘主任（管理员）"):
        assert "排除" not in m


def test_the_reporter_is_told_in_english(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{REPORT}{ADMIN_OUT}/quit\n", AT, "--all", "--lang", "en")
    told = leaving_out(out, "刘主任是校长的亲戚")
    to_reporter = [m for m in told.split("[→ ")[1:] if m.startswith("王老师")]
    assert any("Your report about 杨秀云: 王校长, 刘主任 left out, so it went to the education bureau (镇教育办张科长)."
               in m for m in to_reporter)
