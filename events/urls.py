from django.urls import path, re_path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.home, name="home"),
    path("praxisfachtage/<slug:slug>/", views.event_detail, name="detail"),
    path(
        "praxisfachtage/<slug:slug>/material/<int:pk>/<str:file_name>",
        views.material_download,
        name="material_download",
    ),
    path("projekte/<int:pk>/logo.png", views.project_logo, name="project_logo"),
    # A speaker's personal link (events.speakers): secrets.token_urlsafe(32) gives 43 characters.
    re_path(r"^referierende/(?P<token>[A-Za-z0-9_-]{32,128})/$", views.speaker_invitation, name="speaker_invitation"),
]
