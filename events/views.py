from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kokportal.pagecache import anonymous_page_cache
from participants.selectors import public_event_page, public_home_page


@anonymous_page_cache("home")
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "events/home.html", {"page": public_home_page()})


@anonymous_page_cache("event")
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "events/detail.html", {"page": public_event_page(slug=slug)})
