"""fig9h, tried in the demo: an education office's /report names the schools it covers, not "all schools (county)"."""

from __future__ import annotations

import pytest

from tests.support.demo import run_demo

AT = "2026-12-04 17:58"


def _after(out: str, typed: str) -> str:
    """What the demo answered to the line typed (up to the next line typed)."""
    return out.split(f"> {typed}\n", 1)[1].split("\n> ", 1)[0]


@pytest.mark.parametrize(("lang", "title"), [
    ("zh_Hans", "您督导的1所学校（示例县清溪镇中心小学）统计数据，2026-12："),
    ("en", "Figures for the 1 school you oversee (示例县清溪镇中心小学), 2026-12:"),
])
def test_the_town_education_offices_report_names_the_school_it_covers(monkeypatch, tmp_path, sample_roster, lang,
                                                                       title):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 镇教育办张科长\n/report\n/quit\n", AT, "--lang", lang)
    said = _after(out, "/report")
    assert said.splitlines()[0] == title, said
    assert "全部学校" not in said and "all schools" not in said


def test_the_town_governments_report_names_its_town(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 镇政府李干事\n/report\n/quit\n", AT)
    assert _after(out, "/report").splitlines()[0] == "清溪镇（乡镇）统计数据，2026-12："
