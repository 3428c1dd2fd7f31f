from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "events/home.html", {"page": selectors.home_page()})


def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "events/detail.html", {"page": selectors.public_event_page(slug=slug)})
