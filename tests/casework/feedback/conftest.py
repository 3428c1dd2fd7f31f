import pytest

from casework.feedback import services
from tests.casework.feedback.factories import ended_event


@pytest.fixture
def event(db):
    return ended_event(title="3. Praxisfachtag von KOK und BAMF", slug="praxisfachtag-2020")


@pytest.fixture
def questionnaire(event):
    return services.questionnaire_ensure_default(event=event)
