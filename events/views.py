from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kokportal.pagecache import anonymous_page_cache
from participants.selectors import active_registration_of, public_event_page, public_home_page


@anonymous_page_cache("home")
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "events/home.html", {"page": public_home_page()})


@anonymous_page_cache("event")
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The public page; a logged-in person who registered sees their registration instead of "Jetzt anmelden"
    (logged-in visitors never get the cached page)."""
    page = public_event_page(slug=slug)
    mine = active_registration_of(user=request.user, event=page.event)
    return render(request, "events/detail.html", {"page": page, "my_registration": mine})
