"""Officials choose a past term or school year by name: 上学期, 2025-2026学年第一学期, last term (fix9e).

Officials may see whole months, terms and school years only (fix9d); a past term could be reached only by typing
its exact first and last day, which no official knows by heart. The school entered its terms; the town's official
now names them, in chat and for the xlsx, and a name the school has no term for is answered with the school's
terms, not "could not read".
"""

from __future__ import annotations

import io
import sys

from bot.cli import main
from tests.support.demo import after, run_demo

AT = "2026-12-04 17:58"
TERMS = ("2025-09-01~2026-01-16", "2026-03-02~2026-07-03", "2026-09-01~2027-01-22")


def _school_with_terms(monkeypatch, tmp_path, sample_roster) -> str:
    url = f"sqlite:///{tmp_path / 'school.db'}"
    run_demo(monkeypatch, tmp_path, sample_roster, "/quit\n", AT, "--database", url)
    monkeypatch.setenv("GUANAI_DATABASE_URL", url)
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert main(["year", "set", *(a for t in TERMS for a in ("--term", t))]) == 0
    return url


def test_the_towns_official_names_past_terms_in_chinese(monkeypatch, tmp_path, sample_roster):
    url = _school_with_terms(monkeypatch, tmp_path, sample_roster)
    typed = ["统计 上学期", "统计 2025-2026学年第一学期", "/report 上学年", "统计 2026年春季学期",
             "统计 2024-2025学年第二学期", "统计 2025-2027学年", "/export 统计 上学期"]
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 镇政府李干事\n" + "\n".join(typed) + "\n/quit\n", AT,
                   "--database", url)
    assert after(out, "统计 上学期").startswith("清溪镇（乡镇）统计数据，2026-03-02~2026-07-03：")
    assert after(out, "统计 2025-2026学年第一学期").startswith("清溪镇（乡镇）统计数据，2025-09-01~2026-01-16：")
    assert after(out, "/report 上学年").startswith("清溪镇（乡镇）统计数据，2025-09-01~2026-07-03：")
    assert after(out, "统计 2026年春季学期").startswith("清溪镇（乡镇）统计数据，2026-03-02~2026-07-03：")
    for unknown in ("2024-2025学年第二学期", "2025-2027学年"):
        said = after(out, "统计 " + unknown)
        # fix9h: the scope named (清溪镇, the school whose calendar it follows), the terms by name.
        assert said.startswith(f"清溪镇统计所依据的校历（示例县清溪镇中心小学）中没有“{unknown}”所指的学期或学年。"
                               "已有的学期：2025-2026学年第一学期、2025-2026学年第二学期、"
                               "2026-2027学年第一学期。"), said
        assert "统计数据" not in said and "无法识别" not in said
    assert "统计数据" in after(out, "/export 统计 上学期") and "官员只能" not in after(out, "/export 统计 上学期")
    assert list((tmp_path / "guanai-files").glob("*统计数据*.xlsx"))


def test_last_term_in_english_and_a_term_before_the_records(monkeypatch, tmp_path, sample_roster):
    url = _school_with_terms(monkeypatch, tmp_path, sample_roster)
    out = run_demo(monkeypatch, tmp_path, sample_roster,
                   ":as 镇政府李干事\n/report last term\n/report 2025-2026 term 1\n/report autumn 2024\n"
                   "/report 2026-11-01~2026-11-09\n/quit\n", AT, "--database", url, "--lang", "en")
    assert "2026-03-02~2026-07-03:" in after(out, "/report last term").splitlines()[0]
    assert "2025-09-01~2026-01-16:" in after(out, "/report 2025-2026 term 1").splitlines()[0]
    said = after(out, "/report autumn 2024")
    assert said.startswith("The school calendar your figures for 清溪镇 follow (示例县清溪镇中心小学's) has no term "
                           "or school year that “autumn 2024” names. Its terms: 2025-2026 school year, term 1, "
                           "2025-2026 school year, term 2, 2026-2027 school year, term 1."), said
    # Any other span is still refused, naming the whole periods she may ask for by name (fix9h), not by dates.
    refused = after(out, "/report 2026-11-01~2026-11-09")
    assert "You can ask for 本月 (December 2026), 本学期 (2026-2027 school year, term 1), 上学期 (2025-2026 school " \
           "year, term 2), or another term or school year by name." in refused, refused  # no spring term entered yet
