"""A suspected-abuse report's chain is not counted as "guardian within 30 min" (issue 9, fix9y).

王老师 reports that 杨秀云 is hurt by 王校长 (a safeguarding report: its step 1 goes to the school's leaders,
never the family) and nobody acknowledges it; 张老师 reports 刘婷婷's fall and her guardian 李雪 acknowledges at
once. Before, the figures counted both step 1s in "guardian within 30 min": 1/2 (50.0%), the leaders' missed
30 minutes read as a guardian not reached. Now the rate counts the guardian's step only (1/1), the chat says
under it that suspected-abuse reports are not in it, and the 统计 sheet says so in its notes.
"""

from __future__ import annotations

import openpyxl
import pytest

from tests.support.demo import after, run_demo

AT = "2026-12-02 10:00"
SCRIPT = (":as 王老师\n报告 杨秀云\n5\n王校长经常把她叫到办公室，她身上有伤\n2\n1\n被举报的就是校长本人\n1\n"
          ":as 张老师\n报告 刘婷婷\n1\n1\n在操场摔倒了头破了\n1\n:as 李雪\n1\n:wait 40m\n"
          ":as 刘主任\n/report\n/export 统计\n/quit\n")


@pytest.mark.parametrize(("lang", "rate", "note", "header", "cell_note"), [
    ("zh_Hans", "监护人30分钟内：1/1 (100.0%)",
     "（以上三项不含疑似虐待报告：这类报告先通知学校领导和儿童保护方，从不通知监护人或父母）",
     "监护人30分钟内", "以上三项不含疑似虐待报告"),
    ("en", "guardian within 30 min: 1/1 (100.0%)",
     "(suspected abuse reports are not in these three: their chain goes to the school's leaders and child "
     "protection, never the guardian or parents)", "Guardian within 30 min", "suspected abuse reports are not in"),
])
def test_the_leaders_step_of_an_abuse_report_is_not_a_guardian_reached(monkeypatch, tmp_path, sample_roster, lang,
                                                                        rate, note, header, cell_note):
    out = run_demo(monkeypatch, tmp_path, sample_roster, SCRIPT, AT, "--all", "--lang", lang)
    figures = after(out, "/report", since=":as 刘主任")
    assert rate in figures  # 1/2 (50.0%) before: the leaders' missed step counted as the guardian's
    lines = figures.splitlines()
    chain = next(i for i, line in enumerate(lines) if rate in line)
    assert lines[chain + 1].strip() == note  # said right under the rate it is about
    [book] = list((tmp_path / "guanai-files").glob("*.xlsx"))
    sheet = openpyxl.load_workbook(book).worksheets[0]
    titles = [c.value for c in sheet[1]]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0]}
    done, of = titles.index(f"{header}: {'done' if lang == 'en' else '完成'}"), titles.index(
        f"{header}: {'of' if lang == 'en' else '应完成'}")
    total = next(r for name, r in rows.items() if "清溪镇中心小学" in str(name))
    assert (total[done], total[of]) == (1, 1)
    assert rows["一年级（1）班"][of] == 0  # 杨秀云's class: the abuse report's chain is in no guardian's rate
    assert any(cell_note in str(c.value) for row in sheet.iter_rows() for c in row if c.value)
