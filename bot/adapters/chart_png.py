"""The ``/report`` chart as a PNG (Pillow): one row per class or school, two bars each.

Drawn with a CJK font when the machine has one (WenQuanYi, Noto CJK or Source
Han, at the paths Debian and other systems use, else any font fontconfig
knows for Chinese; ``GUANAI_CHART_FONT`` names another), so the title,
legend and class names show as the reader's catalog words them; without one,
Chinese class names are shortened to their grade and number
(``一年级（2）班`` → ``1-2``) and the title and legend are the catalog's
English, so the picture never shows empty boxes (the message carrying it
then explains the English words: :mod:`bot.services.figures_chart`).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess  # noqa: S404 - fontconfig's fc-list, a fixed argument list, no shell
from collections.abc import Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from bot.domain.classes import class_sort_key
from bot.domain.figures_bar import Bar

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",  # Fedora
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",  # Arch
    "/usr/share/fonts/adobe-source-han-sans/SourceHanSansCN-Regular.otf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
COLOURS = ((47, 111, 79), (156, 197, 161))
ROW, LABEL, BAR = 30, 150, 400


@cache
def _font_path() -> str | None:
    wanted = os.environ.get("GUANAI_CHART_FONT")
    for candidate in ((wanted,) if wanted else ()) + FONT_CANDIDATES:
        if candidate and Path(candidate).is_file():
            return candidate
    return _fontconfig_chinese()


def _fontconfig_chinese() -> str | None:
    """A font fontconfig knows for Chinese (``fc-list :lang=zh file``), else None (no fontconfig, or none)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        listed = subprocess.run([fc_list, ":lang=zh", "file"], capture_output=True, text=True, timeout=5,  # noqa: S603
                                check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    files = sorted(line.strip().rstrip(":") for line in listed.splitlines() if line.strip())
    return next((f for f in files if Path(f).is_file()), None)


def has_cjk_font() -> bool:
    """Whether the chart can be drawn in Chinese (title, legend and class names as written)."""
    return _font_path() is not None


def _lighter(colour: tuple[int, int, int]) -> tuple[int, int, int]:
    return (colour[0] + 255) // 2, (colour[1] + 255) // 2, (colour[2] + 255) // 2


LABEL_CHARS = 24
"""The widest label the default font fits in the label column (about 6 px a character)."""


def _ascii(label: str, index: int) -> str:
    """A label the default (Latin) font draws: a class as ``1-2``, a school or town in pinyin (fix9h).

    ``示例县清溪镇中心小学`` → ``Shilixian Qingxizhen Zhongxin…``: a transliteration an English reader can
    match to the name in the message, never empty boxes nor a bare ``#1``.
    """
    if label.isascii():
        return label[:LABEL_CHARS]
    grade, number, _name = class_sort_key(label)
    if grade != 99 and number:
        return f"{grade}-{number}"
    from pypinyin import Style, lazy_pinyin

    words = " ".join(w.capitalize() for w in _pinyin_words(label, lazy_pinyin, Style.NORMAL))
    words = "".join(c for c in words if c.isascii() and (c.isalnum() or c in " -()")).strip()
    if not words:
        return f"#{index + 1}"
    return words if len(words) <= LABEL_CHARS else words[:LABEL_CHARS - 3].rstrip() + "..."


def _plain(bar: Bar) -> Bar:
    """The bar with ``≤``/``≥`` written ``<=``/``>=``: the default font (and some others) has no glyph for them.

    A trial saw ``≤4%`` drawn as ``▯4%``.
    """
    return replace(bar, label=bar.label.replace("≤", "<=").replace("≥", ">="))


def _pinyin_words(label: str, lazy_pinyin: object, style: object) -> list[str]:
    """The label's pinyin, one word per run of Chinese characters (``清溪镇中心小学`` → ``qingxizhenzhongxinxiaoxue``).

    Runs are cut at the words a school's name is made of (县, 镇, 乡, 村), so the words stay short.
    """
    assert callable(lazy_pinyin)  # noqa: S101 — pypinyin's function, passed in to keep the import late
    parts: list[str] = []
    current = ""
    for ch in label:
        current += ch
        if ch in "县镇乡村" or not ("\u4e00" <= ch <= "\u9fff"):
            parts.append(current)
            current = ""
    parts.append(current)
    return ["".join(lazy_pinyin(p, style=style)) for p in parts if p.strip()]


def bar_chart(title: str, legend: tuple[str, str], rows: Sequence[tuple[str, Bar, Bar]],
              fallback: tuple[str, str, str] = ("Talks and cards", "monthly talks %", "complete cards %")) -> bytes:
    """A PNG of two percentage bars per row, each labelled; a band's bar lighter, to its bound.

    Args:
        title: the chart's title.
        legend: the names of the first and second bar.
        rows: ``(label, first bar, second bar)`` per class or school (:func:`bot.domain.figures_bar.rate_bar`).
        fallback: title and legend used when no CJK font is available.
    """
    path = _font_path()
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont
    if path is not None:
        font = ImageFont.truetype(path, 14)
    else:
        font = ImageFont.load_default()
        title, legend = fallback[0], (fallback[1], fallback[2])
        rows = [(_ascii(label, i), a, b) for i, (label, a, b) in enumerate(rows)]
    rows = [(label, _plain(a), _plain(b)) for label, a, b in rows]  # whichever font: some lack ≤ and ≥
    width, height = LABEL + BAR + 70, 60 + ROW * len(rows) + 10
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.text((10, 8), title, fill="black", font=font)
    for i, name in enumerate(legend):
        x = LABEL + 180 * i
        draw.rectangle((x, 34, x + 12, 46), fill=COLOURS[i])
        draw.text((x + 18, 32), name, fill="black", font=font)
    for i, (label, first, second) in enumerate(rows):
        y = 60 + ROW * i
        draw.text((10, y + 4), label, fill="black", font=font)
        for j, bar in enumerate((first, second)):
            top = y + 12 * j
            draw.rectangle((LABEL, top, LABEL + BAR, top + 10), outline=(220, 220, 220))
            if bar.percent is not None:
                # A band's bar is lighter, outlined: its length is the band's bound, not the figure.
                fill = _lighter(COLOURS[j]) if bar.band else COLOURS[j]
                draw.rectangle((LABEL, top, LABEL + int(BAR * max(0.0, min(bar.percent, 100.0)) / 100), top + 10),
                               fill=fill, outline=COLOURS[j] if bar.band else None)
            if bar.label:
                draw.text((LABEL + BAR + 6, top - 2), bar.label, fill="black", font=font)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
