"""HTML to PDF with WeasyPrint.

- A URL fetcher that serves only the project's own static files (as Indico's does): ``/static/...`` from the
  staticfiles finders or storage; ``file:``, other hosts and other schemes are refused, ``data:`` only for
  small PNG or SVG images.
- The PDF stylesheets (small, separate from Bootstrap) and the shipped fonts are parsed once per process and
  reused; WeasyPrint's font configuration is not thread-safe, so rendering holds a lock.
- Every document is tagged PDF/UA-1 (accessible), with title, author and language from the HTML head.
"""

from __future__ import annotations

import base64
import binascii
import logging
import mimetypes
import posixpath
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}
# The family named in static/pdf/fonts.css; SVG charts name it themselves (page CSS does not reach into SVG).
FONT_FAMILY = "Source Sans 3, DejaVu Sans, sans-serif"
FONTS_CSS = "pdf/fonts.css"
DOCUMENTATION_CSS = "pdf/documentation.css"
PRINTABLES_CSS = "pdf/printables.css"
CERTIFICATE_CSS = "pdf/certificate.css"

STATIC_SUFFIXES = frozenset({".css", ".woff2", ".woff", ".ttf", ".otf", ".svg", ".png", ".jpg", ".jpeg"})
DATA_URL_TYPES = frozenset({"image/png", "image/svg+xml"})
DATA_URL_MAX_BYTES = 64 * 1024


class FetchRefused(ValueError):
    """WeasyPrint asked for a resource outside the project's static files."""


def base_url() -> str:
    """The origin relative URLs resolve against; only its ``STATIC_URL`` path is ever served."""
    return settings.SITE_URL.rstrip("/") + "/"


def static_url_prefix() -> str:
    return urljoin(base_url(), settings.STATIC_URL)


def static_file(name: str) -> Path | bytes | None:
    """The content (or path) of the static file ``name`` (relative to ``STATIC_URL``), or None.

    Looks in the finders first (the source folders, used in development and tests), then in the storage
    (collected and hashed names in production). Never leaves the static folders."""
    name = posixpath.normpath(unquote(name))
    if (
        name in ("", ".")
        or name.startswith(("/", "../"))
        or name == ".."
        or "\\" in name
        or "\x00" in name
        or posixpath.splitext(name)[1].lower() not in STATIC_SUFFIXES
    ):
        return None
    try:
        found = finders.find(name)
        if found:
            return Path(found)
        if staticfiles_storage.exists(name):
            with staticfiles_storage.open(name) as handle:
                return handle.read()
    except (SuspiciousFileOperation, ValueError, OSError):
        return None
    return None


class StaticFilesURLFetcher(URLFetcher):
    """Serves ``<SITE_URL>/static/...`` from the project's static files and refuses everything else."""

    def __init__(self) -> None:
        super().__init__(timeout=1, allowed_protocols=("http", "https", "data"), allow_redirects=False)
        self.static_prefix = static_url_prefix()

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return self._data_url(url)
        if scheme not in ("http", "https") or not url.startswith(self.static_prefix):
            logger.warning("PDF rendering refused a resource with scheme %r outside the static files", scheme)
            raise FetchRefused("only the project's static files may be fetched")
        name = urlsplit(url).path[len(urlsplit(self.static_prefix).path) :]
        content = static_file(name)
        if content is None:
            logger.warning("PDF rendering refused a missing or forbidden static file")
            raise FetchRefused("not a static file of the project")
        if isinstance(content, Path):
            content = content.read_bytes()
        mime_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=content, headers={"Content-Type": mime_type})

    @staticmethod
    def _data_url(url: str) -> URLFetcherResponse:
        header, comma, payload = url[len("data:") :].partition(",")
        mime_type = header.split(";", 1)[0].strip().lower()
        if not comma or mime_type not in DATA_URL_TYPES or len(payload) > 2 * DATA_URL_MAX_BYTES:
            raise FetchRefused("only small PNG or SVG data URLs are allowed")
        try:
            data = base64.b64decode(payload, validate=True) if header.endswith(";base64") else unquote(payload).encode()
        except (binascii.Error, ValueError) as exc:
            raise FetchRefused("malformed data URL") from exc
        if len(data) > DATA_URL_MAX_BYTES:
            raise FetchRefused("only small PNG or SVG data URLs are allowed")
        return URLFetcherResponse(url, body=data, headers={"Content-Type": mime_type})


# --- stylesheets, parsed once per process -------------------------------------------------------------------------

_lock = threading.RLock()
_font_config: FontConfiguration | None = None
_stylesheets: dict[str, CSS] = {}


def _font_configuration() -> FontConfiguration:
    global _font_config
    if _font_config is None:
        _font_config = FontConfiguration()
    return _font_config


def stylesheet(name: str) -> CSS:
    """The parsed stylesheet ``name`` (a static file path), cached for the life of the process."""
    url = urljoin(base_url(), staticfiles_storage.url(name))
    with _lock:
        css = _stylesheets.get(url)
        if css is None:
            css = CSS(url=url, url_fetcher=StaticFilesURLFetcher(), font_config=_font_configuration())
            _stylesheets[url] = css
        return css


def clear_stylesheet_cache() -> None:
    """Forget the parsed stylesheets (tests; a deployment restarts the processes anyway)."""
    global _font_config
    with _lock:
        _stylesheets.clear()
        _font_config = None


# --- rendering ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pdf:
    content: bytes
    page_count: int


def html_to_pdf(html: str, *, stylesheets: Sequence[str]) -> Pdf:
    """Render ``html`` with the named static stylesheets (fonts first) to a tagged PDF/UA-1 document."""
    with _lock:
        sheets = [stylesheet(FONTS_CSS), *(stylesheet(name) for name in stylesheets)]
        document = HTML(string=html, base_url=base_url(), url_fetcher=StaticFilesURLFetcher()).render(
            stylesheets=sheets, font_config=_font_configuration(), **PDF_OPTIONS
        )
        content = document.write_pdf(**PDF_OPTIONS)
    return Pdf(content=content, page_count=len(document.pages))


def render_html(template: str, context: dict, *, lang: str) -> str:
    with translation.override(lang):
        return render_to_string(template, {**context, "lang": lang, "font_family": FONT_FAMILY})


def render_pdf(template: str, context: dict, *, lang: str, stylesheets: Sequence[str]) -> Pdf:
    return html_to_pdf(render_html(template, context, lang=lang), stylesheets=stylesheets)
