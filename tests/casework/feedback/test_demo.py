import pytest
from django.urls import reverse
from django.utils import timezone

from casework.feedback.demo import seed_feedback
from casework.feedback.models import Answer, FeedbackInvitation, FeedbackResponse, Question, Questionnaire
from casework.feedback.selectors import feedback_results, questionnaire_for_results
from events.demo import seed_events
from participants.demo import seed_organisations, seed_registrations

pytestmark = pytest.mark.django_db

VIRTUAL = "praxisfachtag-2020-virtuell"


def seed() -> int:
    today = timezone.localdate()
    organisations = seed_organisations()
    events = seed_events(organisations=organisations, today=today)
    seed_registrations(events=events, organisations=organisations)
    return seed_feedback(events=events, today=today)


def _snapshot():
    result = {}
    for model in (Questionnaire, Question, FeedbackInvitation, FeedbackResponse, Answer):
        fields = [f.attname for f in model._meta.concrete_fields if f.attname not in {"created", "modified"}]
        if model is FeedbackInvitation:
            fields.remove("token_hash")
        result[model.__name__] = list(model.objects.order_by("pk").values_list(*fields))
    return result


def test_seed_feedback_gives_past_events_realistic_answers():
    responses = seed()
    assert responses == FeedbackResponse.objects.count() == 26 + 12 + 15 + 27 + 25
    assert Questionnaire.objects.count() == 11  # every demo event has its questionnaire
    virtual = questionnaire_for_results(slug=VIRTUAL)
    assert (virtual.n_invited, virtual.n_answered, virtual.n_responses) == (36, 25, 25)
    results = feedback_results(questionnaire=virtual, all_texts=True)
    by_key = {r.question.key: r for r in results.questions}
    ratings = {key: r.mean for key, r in by_key.items() if r.mean is not None}
    # The exchange itself is the main value; the virtual format the weakest point.
    assert max(ratings, key=ratings.get) == "exchange"
    assert min(ratings, key=ratings.get) == "format"
    regional = by_key["regional_meetings"]
    assert regional.yes / regional.count >= 0.8
    assert len(by_key["helped"].texts) >= 4
    assert sum(a.selected_for_documentation for a in by_key["helped"].texts) == 2
    assert [c.title for c in results.comparison_columns][-1] == "3. Praxisfachtag von KOK und BAMF – erstmals virtuell"
    assert len(results.comparison_columns) == 5
    # Upcoming events have a questionnaire but nobody was invited yet.
    assert FeedbackInvitation.objects.filter(questionnaire__event__date__gte=timezone.localdate()).count() == 0
    # Submitted after the day and within the window.
    for response in FeedbackResponse.objects.select_related("questionnaire__event"):
        delay = (response.submitted_on - response.questionnaire.event.date).days
        assert 1 <= delay <= response.questionnaire.open_days


def test_seed_feedback_twice_changes_nothing():
    seed()
    first = _snapshot()
    assert seed() == 105
    assert _snapshot() == first


def test_seed_feedback_results_page_renders(staff_client):
    seed()
    response = staff_client.get(reverse("feedback:results", kwargs={"slug": VIRTUAL}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vergleich mit früheren Praxisfachtagen" in html
    assert html.count('class="chart"') == 8
