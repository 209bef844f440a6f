"""Issue 9, a new user's trial: the words people typed, and what they were answered.

The principal sends /export and then the word 统计 (an official too; in English ``figures``): the figures'
workbook, the choice the menu shows, not /report's text. An official or another class's teacher types
``card 杨秀云`` without the slash: the answer /card gives, never "not understood". The grandfather sends
``/talks 杨秀云``: talk records are the teachers', not "no child whose card you may see" (he sees her card).
An official's chart: no glyph the font lacks (``≤``), and a caption about schools, not classes.
"""

from __future__ import annotations

from PIL import ImageDraw

from bot.adapters import chart_png
from bot.domain.figures_bar import Bar
from tests.support.demo import after, run_demo

AT = "2026-12-04 17:58"


def test_the_word_of_an_export_at_the_export_menu_sends_the_export(monkeypatch, tmp_path, sample_roster) -> None:
    script = (":as 王校长\n/export\n统计\n/export\n统计 学期\n:as 镇教育办张科长\n/export\n统计\n/quit\n")
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT)
    assert after(out, "统计").startswith("这是“示例县清溪镇中心小学-统计数据-2026年12月-导出2026-12-04.xlsx”。")
    assert after(out, "统计 学期").startswith("这是“示例县清溪镇中心小学-统计数据-2026-09-01至2027-01-20")
    official = after(out, "统计", nth=2)
    assert official.startswith("这是“示例县清溪镇中心小学-统计数据-2026年12月"), official
    assert "留守儿童" not in official  # no /report text instead


def test_in_english_figures_at_the_menu_and_card_without_its_slash(monkeypatch, tmp_path, sample_roster) -> None:
    script = (":as 镇教育办张科长\n/export\nfigures\ncard 杨秀云\n/card 杨秀云\n"
              ":as 张老师\ncard 杨秀云\n/card 杨秀云\n/quit\n")
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--lang", "en")
    assert after(out, "figures").startswith("Here is “示例县清溪镇中心小学-统计数据-2026年12月"), after(out, "figures")
    for nth in (1, 2):  # the official, then 张老师 of another class
        said = after(out, "card 杨秀云", nth=nth)
        assert said == after(out, "/card 杨秀云", nth=nth), said
        assert "didn't understand" not in said and "杨秀云" in said


def test_a_grandparent_is_told_talk_records_are_the_teachers(monkeypatch, tmp_path, sample_roster) -> None:
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as #43\n/talks 杨秀云\n/card 杨秀云\n/quit\n", AT)
    said = after(out, "/talks 杨秀云")
    assert said.startswith("谈心记录只供孩子的老师查看，家长不能使用 /talks。"
                           "您可以发送 /card 加孩子的名字查看孩子的档案。"), said
    assert "没有找到" not in said and "没有找到" not in after(out, "/card 杨秀云")  # he does see her card


def test_an_officials_chart_without_a_chinese_font(monkeypatch, tmp_path, sample_roster) -> None:
    from bot.services import figures_chart

    monkeypatch.setattr(figures_chart, "has_cjk_font", lambda: False)
    script = ":as 镇教育办张科长\n/report\n:as 王校长\n/report\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT)
    official, principal = after(out, "/report"), after(out, "/report", nth=2)
    assert "学校名称写作拼音" in official and "年级-班" not in official, official
    assert "1-2 即一年级（2）班" in principal  # the principal's chart is per class


def test_a_band_is_drawn_with_characters_every_font_has(monkeypatch) -> None:
    drawn: list[str] = []
    real = ImageDraw.ImageDraw.text

    def text(self, xy, label, *args, **kwargs):  # type: ignore[no-untyped-def]
        drawn.append(label)
        return real(self, xy, label, *args, **kwargs)

    monkeypatch.setattr(ImageDraw.ImageDraw, "text", text)
    for font in (None, chart_png._font_path()):
        monkeypatch.setattr(chart_png, "_font_path", lambda font=font: font)
        drawn.clear()
        chart_png.bar_chart("t", ("a", "b"), [("一年级（1）班", Bar(4.0, "≤4%", True), Bar(96.0, "≥96%", True))])
        assert "<=4%" in drawn and ">=96%" in drawn and not any("≤" in d or "≥" in d for d in drawn), drawn
