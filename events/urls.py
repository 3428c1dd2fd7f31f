from django.urls import path

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
]
