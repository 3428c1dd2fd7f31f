from django.http import HttpResponse
from django.urls import include, path


def trivial(request):
    """The cheapest Django response through the same middleware: the baseline of the page benchmark."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/trivial/", trivial),
    path("", include("kokportal.urls")),
]
