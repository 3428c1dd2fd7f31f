from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kokportal.pagecache import anonymous_page_cache
from participants.selectors import active_registration_of, public_event_page, public_home_page, review_figures

from .selectors import project_logo_png, project_of


@anonymous_page_cache("home")
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "events/home.html", {"page": public_home_page()})


@anonymous_page_cache("event")
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The public page; a logged-in person who registered sees their registration instead of "Jetzt anmelden"
    (logged-in visitors never get the cached page)."""
    page = public_event_page(slug=slug)
    mine = active_registration_of(user=request.user, event=page.event)
    figures = review_figures(event=page.event) if page.event.review_public else None
    return render(
        request,
        "events/detail.html",
        {"page": page, "my_registration": mine, "project": project_of(page.event), "figures": figures},
    )


@require_GET
def project_logo(request: HttpRequest, pk: int) -> HttpResponse:
    """A funder's logo (public, like the event pages that show it): the PNG the upload was re-encoded to."""
    logo = project_logo_png(pk=pk)
    if logo is None:
        raise Http404
    response = HttpResponse(logo, content_type="image/png")
    response["Cache-Control"] = "public, max-age=3600"
    response["Content-Disposition"] = 'inline; filename="logo.png"'
    return response
