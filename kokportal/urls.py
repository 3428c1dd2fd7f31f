from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import views

admin.site.site_header = _("KOK-Praxisfachtage – Verwaltung")
admin.site.site_title = _("KOK-Praxisfachtage")
admin.site.index_title = _("Geschäftsstelle")
# The admin login goes through allauth, so its rate limits, login by code and MFA apply there too.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", include("events.urls")),
    path("", include("events.documents.urls")),
    path("", include("participants.urls")),
    path("", include("casework.urls")),
    path("rueckmeldung/", include("casework.feedback.urls")),
    path("datenschutz/", views.privacy, name="privacy"),
    path("meine-praxisfachtage/", views.my_practice_days, name="my_practice_days"),
    path("konto/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("sprache/", views.switch_language, name="switch_language"),
    path("healthz", views.health, name="health"),
]
