"""Every portal page is valid HTML by the Nu HTML Checker (vnu-jar from npm, tests/a11y/): 0 errors.

The pages come from ``tests.a11y.pages`` (the same list the axe-core browser test walks); the Django admin pages
are left out, their markup is Django's. One run of the checker over all pages keeps the Java start-up to once.
"""

import json
import shutil
import subprocess
from collections import Counter

import pytest

from tests.a11y.pages import MISSING, VNU_JAR, build_pages, session_client

pytestmark = pytest.mark.django_db


def _nu_errors(files: list) -> list[dict]:
    java = shutil.which("java")
    if java is None:
        pytest.fail("Java is missing: run `make test` (scripts/install_system_packages.sh installs it).")
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--stdout", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)["messages"]


def test_html_validity_of_every_portal_page(tmp_path):
    if not VNU_JAR.exists():
        pytest.fail(MISSING.format(VNU_JAR))
    world = build_pages()
    clients = {}
    files = {}
    for index, page in enumerate(p for p in world.pages if not p.admin):
        client = clients.get(page.role) or clients.setdefault(page.role, session_client(world, page.role))
        # A form page in its error state: sent empty, as the browser sends it (only the submit button's name).
        empty = {"submit": "1"}
        response = client.post(page.url, empty) if page.submit_empty else client.get(page.url)
        assert response.status_code == 200, (page.name, response.status_code, response.get("Location"))
        path = tmp_path / f"page-{index:02d}.html"
        path.write_bytes(response.content)
        files[path.name] = page.name

    errors = _nu_errors(list(tmp_path.glob("page-*.html")))

    per_page = Counter(dict.fromkeys(files.values(), 0))
    details = []
    for message in errors:
        url = message.get("url", "")
        name = files.get(url.rsplit("/", 1)[-1], url)
        per_page[name] += 1
        details.append(f"{name}, line {message.get('lastLine')}: {message['message']}")
    figures = "\n".join(f"{count:3d}  {name}" for name, count in per_page.items())
    assert errors == [], f"Nu HTML Checker errors per page:\n{figures}\n\n" + "\n".join(details)
