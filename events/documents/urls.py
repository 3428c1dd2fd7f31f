from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("praxisfachtage/<slug:slug>/dokumente/", views.index, name="index"),
    path("praxisfachtage/<slug:slug>/dokumente/dokumentation.pdf", views.documentation, name="documentation"),
    path("praxisfachtage/<slug:slug>/dokumente/kontaktliste.pdf", views.participant_list, name="participant_list"),
    path("praxisfachtage/<slug:slug>/dokumente/unterschriftenliste.pdf", views.sign_in_sheet, name="sign_in_sheet"),
    path("praxisfachtage/<slug:slug>/dokumente/namensschilder.pdf", views.badges, name="badges"),
    path(
        "meine-anmeldungen/<int:pk>/teilnahmebescheinigung.pdf",
        views.certificate,
        name="certificate",
    ),
]
