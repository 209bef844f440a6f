"""An English-speaking official asks for the figures by their name (a new-user trial typed ``figures``)."""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo

AT = "2026-12-02 10:00"


@pytest.mark.parametrize("typed", ["figures", "statistics", "/stats", "/figures", "Figures"])
def test_an_english_official_gets_the_figures_by_their_name(monkeypatch, tmp_path, sample_roster, typed):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as 镇教育办张科长\n{typed}\n/quit\n", AT, "--lang", "en")
    said = after(out, typed)
    assert said.startswith("Figures for the 1 school you oversee"), said
    assert "didn't understand" not in said
