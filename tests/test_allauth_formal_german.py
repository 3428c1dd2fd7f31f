"""django-allauth's German catalogue says "du"; locale_overrides/de replaces those strings with "Sie"."""

import ast
import re
from pathlib import Path

import allauth
import pytest
from django.utils import translation
from django.utils.translation import gettext

ROOT = Path(__file__).resolve().parent.parent
OVERRIDES = ROOT / "locale_overrides" / "de" / "LC_MESSAGES" / "django.po"
ALLAUTH_DE = Path(allauth.__file__).resolve().parent / "locale" / "de" / "LC_MESSAGES" / "django.po"
INFORMAL = re.compile(r"\b(du|Du|dein\w*|Dein\w*|dich|Dich|dir|Dir)\b")
KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$')


def read_po(path: Path) -> list[dict[str, str]]:
    """Entries of a .po file as {keyword: text}; obsolete (#~) entries and the header are left out."""
    entries, entry, key = [], {}, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = line.strip()
        if not line:
            if entry.get("msgid"):
                entries.append(entry)
            entry, key = {}, None
        elif line.startswith("#"):
            continue
        elif match := KEYWORD.match(line):
            key = match.group(1)
            entry[key] = ast.literal_eval(match.group(2))
        elif line.startswith('"') and key:
            entry[key] += ast.literal_eval(line)
    return entries


def translations(entry: dict[str, str]) -> list[str]:
    return [text for key, text in entry.items() if key.startswith("msgstr")]


@pytest.mark.django_db
def test_login_page_addresses_people_formally(client):
    with translation.override("de"):
        response = client.get("/konto/login/", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Du hast noch kein Konto" not in page
    assert "Noch kein Konto? Geben Sie einfach Ihre Adresse ein" in page
    assert "Wenn Sie für Ihr Konto ein Passwort festgelegt haben" in page


def test_override_catalogue_has_no_informal_address():
    entries = read_po(OVERRIDES)
    assert entries
    for entry in entries:
        for text in translations(entry):
            assert text, entry["msgid"]
            assert not INFORMAL.search(text), text


def _library_keys() -> set[tuple]:
    """The msgids of the libraries locale_overrides/de translates: allauth (formal German), Django's admin, accounts
    and sessions (strings its German catalogue lacks; from Django's English catalogues, which list every msgid), and
    django-tasks (no catalogue; from its code)."""
    import django
    import django_tasks
    import django_tasks_db

    catalogues = [ALLAUTH_DE]
    contrib = Path(django.__file__).resolve().parent / "contrib"
    for app in ("admin", "auth", "sessions"):
        catalogues += sorted((contrib / app / "locale" / "en" / "LC_MESSAGES").glob("*.po"))
    keys = {(e.get("msgctxt"), e["msgid"], e.get("msgid_plural")) for path in catalogues for e in read_po(path)}
    code = re.compile(r'\b(?:_|gettext_lazy|gettext)\(\s*"([^"]+)"\)|pgettext_lazy\(\s*"([^"]+)",\s*"([^"]+)"\)')
    for package in (django_tasks, django_tasks_db):
        for source in Path(package.__file__).resolve().parent.rglob("*.py"):
            for plain, context, text in code.findall(source.read_text(encoding="utf-8")):
                keys.add((context or None, plain or text, None))
    return keys


def test_override_msgids_still_exist_in_their_libraries():
    """A library upgrade that rewords a msgid would silently bring back the informal (or English) text."""
    keys = _library_keys()
    for path in (OVERRIDES, OVERRIDES.with_name("djangojs.po")):
        for entry in read_po(path):
            assert (entry.get("msgctxt"), entry["msgid"], entry.get("msgid_plural")) in keys, entry["msgid"]


def test_portal_strings_are_unaffected():
    with translation.override("de"):
        assert gettext("Anmeldung") == "Anmeldung"
        assert gettext("Too many failed login attempts. Try again later.") == (
            "Zu viele gescheiterte Versuche, sich einzuloggen. Bitte versuchen Sie es später erneut."
        )
    with translation.override("en"):
        assert gettext("Too many failed login attempts. Try again later.") == (
            "Too many failed login attempts. Try again later."
        )
