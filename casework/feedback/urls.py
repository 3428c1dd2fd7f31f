from django.urls import path, re_path

from . import views

app_name = "feedback"

urlpatterns = [
    path("danke/", views.thanks, name="thanks"),
    path("auswertung/<slug:slug>/", views.results, name="results"),
    path("auswertung/<slug:slug>/rueckmeldungen.csv", views.results_csv, name="results_csv"),
    path("auswertung/<slug:slug>/dokumentation/", views.select_texts, name="select_texts"),
    # The personal link: a random URL-safe token (secrets.token_urlsafe(32) gives 43 characters).
    re_path(r"^(?P<token>[A-Za-z0-9_-]{32,128})/$", views.answer, name="answer"),
]
