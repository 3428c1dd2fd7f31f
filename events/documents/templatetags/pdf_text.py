"""Template filters for the PDFs."""

from __future__ import annotations

import re

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# Where an address may wrap: after "@" and before a dot, as style guides break addresses (never after a hyphen,
# which would read as a hyphenated word, and never inside a word).
_ADDRESS_BREAKS = re.compile(r"(?<=@)|(?=\.)")


@register.filter
def breakable_email(address: str) -> SafeString:
    """An e-mail address that a narrow column wraps only after "@" or before a dot: the parts between those
    places cannot wrap (``.nobreak``: white-space: nowrap), ``<wbr>`` offers the places in between."""
    parts = [
        format_html('<span class="nobreak">{}</span>', part) for part in _ADDRESS_BREAKS.split(str(address)) if part
    ]
    return mark_safe("<wbr>".join(parts))  # noqa: S308 - every part is escaped by format_html
