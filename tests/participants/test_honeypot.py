"""The honeypot of the registration form: hidden from people (CSS) and screen readers (aria-hidden), out of the tab
order and off for autofill. That a bot filling it in is refused:
tests/participants/test_views.py::test_register_honeypot_filled_is_refused."""

import pytest
from django.test.html import parse_html
from django.urls import reverse

from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

HONEYPOT = """
<div class="honeypot" aria-hidden="true">
  <div id="div_id_website" class="mb-3">
    <label for="id_website" class="form-label">Bitte leer lassen</label>
    <input type="text" name="website" tabindex="-1" autocomplete="off" class="textinput form-control" id="id_website">
  </div>
</div>
"""


def test_honeypot_is_hidden_unfocusable_and_not_autofilled(user_client):
    event = EventFactory()
    response = user_client.get(reverse("participants:register", kwargs={"slug": event.slug}))
    assert response.status_code == 200
    assert parse_html(response.text).count(parse_html(HONEYPOT)) == 1
