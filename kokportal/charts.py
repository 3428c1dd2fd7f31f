"""Small SVG charts drawn on the server: no JavaScript, usable in pages and in WeasyPrint PDFs.

The markup carries no inline styles (the pages' Content-Security-Policy forbids them); colours come from
presentation attributes, which CSP does not restrict.

An SVG does not wrap or grow around its text, so the chart measures its texts itself (``text_width``, an upper
estimate for the sans-serif fonts of the pages and PDFs) and gives the labels and the values after the bars the
room they need: a value such as "14 (56 %)" after the longest bar always fits inside the drawing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

BAR_COLOUR = "#7a1f4b"
TEXT_COLOUR = "#1f2328"
FONT_SIZE = 12
# Space between a label and its bar, between a bar and its value, and after the value.
LABEL_GAP = 6
VALUE_GAP = 6
RIGHT_PADDING = 4
# Labels take at most this share of the width; longer ones are shortened with "…".
MAX_LABEL_SHARE = 0.45
ELLIPSIS = "…"

# Advance widths in em, rounded up from DejaVu Sans (the widest of the fonts used); other fonts come out narrower.
_NARROW = frozenset("fijlrtI!.,:;'|()[]{}/\\-")
_WIDE = frozenset("mwMW%@—")


def _char_width(char: str) -> float:
    if char == " ":
        return 0.32
    if char.isdigit():
        return 0.64
    if char in _NARROW:
        return 0.40
    if char in _WIDE:
        return 1.0
    if char == "–":
        return 0.5
    if char.isupper():
        return 0.75
    return 0.62


def text_width(text: str, font_size: float = FONT_SIZE) -> float:
    """An upper estimate of the width of ``text`` in px at ``font_size``."""
    return font_size * sum(_char_width(char) for char in text)


def fit_text(text: str, room: float, font_size: float = FONT_SIZE) -> str:
    """``text`` shortened with "…" until it fits into ``room`` px (unchanged when it fits)."""
    if text_width(text, font_size) <= room:
        return text
    while text and text_width(text + ELLIPSIS, font_size) > room:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    display: str | None = None  # text after the bar; defaults to the value

    @property
    def value_text(self) -> str:
        return self.display if self.display is not None else _number(self.value)


def horizontal_bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    width: int = 560,
    bar_height: int = 18,
    label_width: int | None = None,
    font_family: str | None = None,
) -> SafeString:
    """A horizontal bar chart with labels and values, accessible through ``<title>`` and ``role="img"``.

    ``label_width`` (px, the column left of the bars) defaults to what the longest label needs, at most
    ``MAX_LABEL_SHARE`` of the width; the values after the bars get what the longest value needs. Labels that do
    not fit are shortened with "…". ``font_family`` sets the font of the texts (WeasyPrint does not apply the
    page's CSS inside an SVG)."""
    gap = 8
    height = max(len(bars), 1) * (bar_height + gap) + gap
    maximum = max((bar.value for bar in bars), default=0) or 1
    value_room = max((text_width(bar.value_text) for bar in bars), default=0)
    value_column = math.ceil(VALUE_GAP + value_room + RIGHT_PADDING)
    if label_width is None:
        longest = max((text_width(bar.label) for bar in bars), default=0)
        label_width = math.ceil(min(longest + LABEL_GAP, width * MAX_LABEL_SHARE))
    plot = max(width - label_width - value_column, 1)
    rows = []
    for index, bar in enumerate(bars):
        y = gap + index * (bar_height + gap)
        # Formatted here: format_html escapes its arguments to strings, so "{:.1f}" would fail on them.
        baseline = f"{y + bar_height * 0.72:.1f}"
        length = max(int(round(plot * bar.value / maximum)), 1 if bar.value else 0)
        rows.append(
            (
                label_width - LABEL_GAP,
                baseline,
                TEXT_COLOUR,
                fit_text(bar.label, label_width - LABEL_GAP),
                label_width,
                y,
                length,
                bar_height,
                BAR_COLOUR,
                label_width + length + VALUE_GAP,
                baseline,
                TEXT_COLOUR,
                bar.value_text,
            )
        )
    body = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="end" font-size="12" fill="{}">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" rx="2"></rect>'
        '<text x="{}" y="{}" font-size="12" fill="{}">{}</text>',
        rows,
    )
    font = format_html(' font-family="{}"', font_family) if font_family else ""
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{}" height="{}" '
        'viewBox="0 0 {} {}"{}><title>{}</title>{}</svg>',
        width,
        height,
        width,
        height,
        font,
        title,
        body,
    )


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else formats.number_format(value, 1)
