import base64
import html
import logging
import re

import pytest
from weasyprint.urls import URLFetchingError

from events.documents import rendering
from events.documents.rendering import FetchRefused, StaticFilesURLFetcher
from kokportal.charts import Bar, horizontal_bar_chart, text_width

from .conftest import pdf_text

PNG_1PX = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


@pytest.fixture
def fetcher(settings) -> StaticFilesURLFetcher:
    settings.SITE_URL = "https://portal.example.org"
    return StaticFilesURLFetcher()


def test_fetcher_serves_the_projects_static_files(fetcher):
    response = fetcher.fetch("https://portal.example.org/static/pdf/documentation.css")

    assert response.content_type == "text/css"
    assert b"@page" in response.read()


def test_fetcher_serves_the_shipped_fonts(fetcher):
    response = fetcher.fetch(
        "https://portal.example.org/static/fonts/source-sans-3/source-sans-3-latin-400-normal.woff2"
    )

    assert response.read()[:4] == b"wOF2"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///work/main/static/pdf/documentation.css",
        "http://evil.example.com/static/pdf/documentation.css",
        "https://evil.example.com/x.png",
        "https://portal.example.org.evil.example.com/static/pdf/documentation.css",
        "http://127.0.0.1:8000/static/pdf/documentation.css",
        "ftp://portal.example.org/static/pdf/documentation.css",
        "https://portal.example.org/admin/",
        "https://portal.example.org/media/secret.pdf",
        "https://portal.example.org/static/../kokportal/settings.py",
        "https://portal.example.org/static/%2e%2e/%2e%2e/etc/passwd.css",
        "https://portal.example.org/static/pdf/missing.css",
        "https://portal.example.org/static/../.env",
    ],
)
def test_fetcher_refuses_everything_else(fetcher, url):
    with pytest.raises(FetchRefused):
        fetcher.fetch(url)


def test_fetcher_allows_small_inline_png(fetcher):
    url = "data:image/png;base64," + base64.b64encode(PNG_1PX).decode()

    assert fetcher.fetch(url).read() == PNG_1PX


@pytest.mark.parametrize(
    "url",
    [
        "data:text/html,<script>alert(1)</script>",
        "data:text/css,body{}",
        "data:image/png;base64," + base64.b64encode(b"x" * (70 * 1024)).decode(),
        "data:image/png;base64,not*base64",
    ],
)
def test_fetcher_refuses_other_data_urls(fetcher, url):
    with pytest.raises(FetchRefused):
        fetcher.fetch(url)


def test_rendering_never_fetches_external_or_local_files(db, settings, caplog, monkeypatch):
    settings.SITE_URL = "https://portal.example.org"
    opened = []
    monkeypatch.setattr("urllib.request.OpenerDirector.open", lambda *args, **kwargs: opened.append(args))
    html = (
        '<html lang="de"><head><title>T</title>'
        '<link rel="stylesheet" href="https://evil.example.com/x.css"></head><body>'
        '<p>Text</p><img src="file:///etc/passwd" alt="a"><img src="http://evil.example.com/x.png" alt="b">'
        '<img src="/static/img/favicon.svg" alt="Logo"></body></html>'
    )

    with caplog.at_level(logging.WARNING):
        pdf = rendering.html_to_pdf(html, stylesheets=[rendering.PRINTABLES_CSS])

    assert opened == []
    assert "Text" in pdf_text(pdf.content)
    assert sum("refused a resource" in r.getMessage() for r in caplog.records) == 3


def test_fetch_errors_are_reported_to_weasyprint_not_raised(fetcher):
    from weasyprint.urls import fetch

    with pytest.raises(URLFetchingError), fetch(fetcher, "file:///etc/passwd"):
        pass


def test_stylesheets_are_parsed_once_per_process(db):
    rendering.clear_stylesheet_cache()

    first = rendering.stylesheet(rendering.DOCUMENTATION_CSS)

    assert rendering.stylesheet(rendering.DOCUMENTATION_CSS) is first
    assert rendering.stylesheet(rendering.PRINTABLES_CSS) is not first


def test_bar_chart_draws_labels_values_and_font():
    svg = horizontal_bar_chart(
        [Bar("Berlin", 7), Bar("Bremen & Hamburg", 2.5, display="2,5 (x)")], title="Nach Bundesland", font_family="F"
    )

    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="560" height="60" ')
    assert 'font-family="F"><title>Nach Bundesland</title>' in svg
    # The label column is as wide as the longest label needs (119 px + 6), the value column as the longest value
    # (6 + 41 + 4 px); the bars take the rest (560 - 125 - 52 = 383 px for the largest value).
    assert '<text x="119" y="21.0" text-anchor="end" font-size="12" fill="#1f2328">Berlin</text>' in svg
    assert '<rect x="125" y="8" width="383" height="18" fill="#7a1f4b" rx="2"></rect>' in svg
    assert '<text x="514" y="21.0" font-size="12" fill="#1f2328">7</text>' in svg
    assert "Bremen &amp; Hamburg" in svg
    assert '<text x="268" y="47.0" font-size="12" fill="#1f2328">2,5 (x)</text>' in svg


def _texts(svg: str) -> list[tuple[float, str, str]]:
    """(x, anchor, text) of every text in a chart."""
    return [
        (float(x), anchor, html.unescape(text))
        for x, anchor, text in re.findall(
            r'<text x="([\d.]+)" y="[\d.]+"( text-anchor="end")?[^>]*>([^<]*)</text>', svg
        )
    ]


@pytest.mark.parametrize("width", [440, 620])
def test_bar_chart_values_after_the_longest_bar_fit_inside(width):
    """The results page showed "14 (56 %" with the bracket cut off: the value after the longest bar must end
    inside the drawing, and every label must start inside it."""
    bars = [
        Bar("1 – gar nicht hilfreich", 0, display="0 (0 %)"),
        Bar("2", 1, display="1 (4 %)"),
        Bar("3", 5, display="5 (20 %)"),
        Bar("4", 14, display="14 (56 %)"),
        Bar("5 – sehr hilfreich", 5, display="5 (20 %)"),
    ]
    svg = horizontal_bar_chart(bars, title="Verteilung", width=width)

    texts = _texts(svg)
    values = [(x, text) for x, anchor, text in texts if not anchor]
    labels = [(x, text) for x, anchor, text in texts if anchor]
    assert [text for _x, text in values] == ["0 (0 %)", "1 (4 %)", "5 (20 %)", "14 (56 %)", "5 (20 %)"]
    assert [text for _x, text in labels] == ["1 – gar nicht hilfreich", "2", "3", "4", "5 – sehr hilfreich"]
    assert all(x + text_width(text) <= width for x, text in values)
    assert all(x - text_width(text) >= 0 for x, text in labels)


def test_bar_chart_shortens_labels_that_do_not_fit():
    long_label = "Eine sehr lange Antwortmöglichkeit, die nicht neben den Balken passt, weil sie so lang ist"
    svg = horizontal_bar_chart([Bar(long_label, 3), Bar("kurz", 1)], title="T", width=400)

    labels = [(x, text) for x, anchor, text in _texts(svg) if anchor]
    assert labels[0][1].endswith("…")
    assert long_label.startswith(labels[0][1][:-1])
    assert labels[0][0] - text_width(labels[0][1]) >= 0
    assert labels[1][1] == "kurz"


def test_bar_chart_without_font_keeps_its_markup():
    svg = horizontal_bar_chart([Bar("A", 1)], title="T")

    assert 'viewBox="0 0 560 34"><title>T</title>' in svg
    assert "font-family" not in svg
