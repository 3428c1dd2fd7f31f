"""Small SVG charts drawn on the server: no JavaScript, usable in pages and in WeasyPrint PDFs.

The markup carries no inline styles (the pages' Content-Security-Policy forbids them); colours come from
presentation attributes, which CSP does not restrict.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

BAR_COLOUR = "#7a1f4b"
TEXT_COLOUR = "#1f2328"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    display: str | None = None  # text after the bar; defaults to the value


def horizontal_bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    width: int = 560,
    bar_height: int = 18,
    label_width: int = 220,
    font_family: str | None = None,
) -> SafeString:
    """A horizontal bar chart with labels and values, accessible through ``<title>`` and ``role="img"``.

    ``font_family`` sets the font of the labels (WeasyPrint does not apply the page's CSS inside an SVG)."""
    gap = 8
    height = max(len(bars), 1) * (bar_height + gap) + gap
    maximum = max((bar.value for bar in bars), default=0) or 1
    plot = width - label_width - 60
    rows = []
    for index, bar in enumerate(bars):
        y = gap + index * (bar_height + gap)
        # Formatted here: format_html escapes its arguments to strings, so "{:.1f}" would fail on them.
        baseline = f"{y + bar_height * 0.72:.1f}"
        length = max(int(round(plot * bar.value / maximum)), 1 if bar.value else 0)
        rows.append(
            (
                label_width - 6,
                baseline,
                TEXT_COLOUR,
                bar.label,
                label_width,
                y,
                length,
                bar_height,
                BAR_COLOUR,
                label_width + length + 6,
                baseline,
                TEXT_COLOUR,
                bar.display if bar.display is not None else _number(bar.value),
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
