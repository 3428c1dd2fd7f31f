from django.urls import path

from . import views

app_name = "casework"

urlpatterns = [
    path("workshops/<int:pk>/", views.workshop, name="workshop"),
    path("workshops/<int:pk>/gruppen/drucken/", views.groups_print, name="groups_print"),
    path("workshops/<int:pk>/gruppen/einteilen/", views.place_unassigned, name="place_unassigned"),
    path("workshops/<int:workshop_pk>/fallbeispiele/neu/", views.case_create, name="case_create"),
    path("fallbeispiele/<int:pk>/", views.case_detail, name="case"),
    path("fallbeispiele/<int:pk>/bearbeiten/", views.case_edit, name="case_edit"),
    path("kleingruppen/<int:pk>/", views.group_detail, name="group"),
]
