from django.urls import path
from django.views.generic import RedirectView

from . import check_in_views, views

app_name = "participants"

urlpatterns = [
    path("praxisfachtage/<slug:slug>/anmelden/", views.register, name="register"),
    path("praxisfachtage/<slug:slug>/kontaktliste/", views.event_contact_list, name="contact_list"),
    path("praxisfachtage/<slug:slug>/check-in/", check_in_views.check_in, name="check_in"),
    path("praxisfachtage/<slug:slug>/check-in/<int:pk>/", check_in_views.check_in_update, name="check_in_update"),
    path("praxisfachtage/<slug:slug>/check-in/k/<str:token>/", check_in_views.check_in_link, name="check_in_link"),
    path("meine-anmeldungen/", views.my_registrations, name="my_registrations"),
    path("meine-anmeldungen/<int:pk>/", views.registration_detail, name="registration_detail"),
    path("meine-anmeldungen/<int:pk>/stornieren/", views.registration_cancel, name="registration_cancel"),
    path("meine-anmeldungen/<int:pk>/kalender.ics", views.registration_ical, name="registration_ical"),
    path("bescheinigung/<str:code>/", views.certificate_verify, name="certificate_verify"),
    path("einladung/<str:token>/", views.invitation_open, name="invitation_open"),
    path("einladung/<str:token>/abbestellen/", views.invitation_unsubscribe, name="invitation_unsubscribe"),
    path("konto/einladungen/", views.invitation_consent, name="invitation_consent"),
    path("konto/meine-daten/", views.privacy_overview, name="privacy"),
    path("konto/meine-daten/export.json", views.privacy_export, name="privacy_export"),
    path("konto/loeschen/", views.account_delete, name="account_delete"),
    path("konto/bestaetigen/code/", views.reauthenticate_by_code, name="reauthenticate_by_code"),
    # There is one way in: e-mail address, code, logged in; a new address gets its account on the way
    # (participants.forms.CodeLoginForm). allauth's separate sign-up page (its URL name account_signup resolves to
    # this same path, included after this app in kokportal/urls.py) therefore leads there, with ?next= kept.
    path("konto/signup/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
]
