"""Browser tests: Playwright driving Debian's Chromium against Django's live server."""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("KOKPORTAL_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}; install it with `apt-get install chromium` (.ci/run does).")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop; Django refuses sync DB calls from such a thread otherwise.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="de-DE", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    console_errors: list[str] = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()
    # A CSP violation or a script error shows up as a console error; none is acceptable.
    assert console_errors == []
