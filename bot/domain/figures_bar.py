"""How a rate is drawn as a bar (the ``/report`` chart, the dashboard's chart), by the rule its text follows.

A banded rate (1–4 done or not done, :func:`bot.domain.figures.rate_band`) is drawn to its band's bound —
``≥96%`` as a bar to 96 %, ``≤4%`` to 4 % — marked as a band and labelled with it: the bound gives nothing
away that the label does not, and an empty bar would read as "nothing done". A rate hidden outright
(``*``, ``(<5)``) draws no bar, only its mark.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.figures import Rate, band_bound, hidden_rate_mark, rate_band, suppressed_rate

STAR = "*"


@dataclass(frozen=True)
class Bar:
    """One rate's bar.

    Attributes:
        percent: the bar's length, 0–100; None draws no bar (nothing due, or hidden).
        label: what is written beside it: ``90%``, a band (``≥96%``), a hidden mark (``*``, ``(<5)``), or ``""``.
        band: whether the length is a band's bound rather than the figure (drawn lighter).
    """

    percent: float | None
    label: str
    band: bool = False


def rate_bar(rate: Rate, official: bool, children: int | None = None) -> Bar:
    """The bar of ``rate`` as the reader may see it (``children`` as for :func:`suppressed_rate`)."""
    if rate.total <= 0:
        return Bar(None, "")
    shown = suppressed_rate(rate, official, children)
    if shown is None:
        return Bar(None, hidden_rate_mark(rate, children))
    band = rate_band(shown, official)
    if band == STAR:
        return Bar(None, STAR)
    bound = band_bound(shown, official)
    if band is not None and bound is not None:  # "≥96%" / "≤4%": drawn to the bound the band is computed from
        return Bar(float(bound), band, band=True)
    percent = shown.percent
    assert percent is not None  # noqa: S101 — the total is positive
    return Bar(percent, f"{percent:.0f}%")
