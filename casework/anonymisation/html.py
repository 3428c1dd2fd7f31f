"""The editor's view of a checked text: escaped completely, each finding wrapped in a ``<mark>``."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from .findings import Finding, category_label


def _escaped_with_breaks(text: str) -> SafeString:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return format_html_join(SafeString("<br>"), "{}", ((line,) for line in lines))


def highlight_html(text: str, findings: Iterable[Finding]) -> SafeString:
    """Escape *text* completely and wrap each finding in a ``<mark>`` for the editor view.

    Case texts are pasted from e-mails and office documents and may contain markup, so every
    character is escaped; the marks carry only classes and data attributes (no inline styles,
    which the Content Security Policy forbids). Overlapping findings after the first are skipped.
    """
    pieces: list[SafeString] = []
    position = 0
    for finding in sorted(findings, key=lambda f: (f.start, -f.end)):
        if finding.start < position:
            continue
        pieces.append(_escaped_with_breaks(text[position : finding.start]))
        pieces.append(
            format_html(
                '<mark class="anon-finding anon-{}" data-category="{}" title="{}">{}</mark>',
                finding.severity.value,
                finding.category.value,
                category_label(finding.category),
                _escaped_with_breaks(text[finding.start : finding.end]),
            )
        )
        position = finding.end
    pieces.append(_escaped_with_breaks(text[position:]))
    return format_html_join("", "{}", ((piece,) for piece in pieces))
