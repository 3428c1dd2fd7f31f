"""The participant's questionnaire (reached only through the personal link) and the results for staff and the
event's team. Anyone else gets 404 for the results, which does not even confirm that they exist."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kokportal.audit import audit_actions_register, audit_log_record

from . import exports, permissions, selectors, services
from .errors import FeedbackError, InvalidAnswers
from .forms import FeedbackForm

audit_actions_register({"export_feedback_csv": gettext_lazy("Rückmeldungen als CSV exportiert")})


def _unavailable(request: HttpRequest, error: FeedbackError) -> HttpResponse:
    return render(request, "feedback/unavailable.html", {"message": error.message}, status=error.status)


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    try:
        page = selectors.answer_page(token_hash=services.hash_token(token))
    except FeedbackError as exc:
        return _unavailable(request, exc)
    form = FeedbackForm(request.POST or None, questions=page.questions)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_submit(token=token, answers=form.answers())
        except InvalidAnswers as exc:
            form.add_error(None, exc.message)
        except FeedbackError as exc:
            return _unavailable(request, exc)
        else:
            return redirect("feedback:thanks")
    return render(request, "feedback/answer.html", {"page": page, "form": form})


@require_GET
def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "feedback/thanks.html")


def _results_access(request: HttpRequest, slug: str):
    """The questionnaire and whether the user is staff; Http404 for anyone who is neither staff nor in the
    event's team."""
    if not request.user.is_authenticated:
        raise Http404
    questionnaire = selectors.questionnaire_for_results(slug=slug)
    if not permissions.may_see_results(request.user, questionnaire.event):
        raise Http404
    return questionnaire, permissions.may_see_all_texts(request.user)


def _admin_url(questionnaire) -> str:
    return reverse("admin:feedback_questionnaire_change", args=[questionnaire.pk])


@never_cache
@require_GET
def results(request: HttpRequest, slug: str) -> HttpResponse:
    questionnaire, staff = _results_access(request, slug)
    return render(
        request,
        "feedback/results.html",
        {
            "results": selectors.feedback_results(questionnaire=questionnaire, all_texts=staff),
            "is_staff": staff,
            "min_answers": selectors.MIN_ANSWERS,
            "admin_url": _admin_url(questionnaire) if staff else "",
        },
    )


@never_cache
@require_GET
def results_csv(request: HttpRequest, slug: str) -> HttpResponse:
    questionnaire, staff = _results_access(request, slug)
    if not staff:
        raise Http404
    results = selectors.feedback_results(questionnaire=questionnaire, all_texts=True)
    audit_log_record(
        actor=request.user, action="export_feedback_csv", event=questionnaire.event, count=results.responses
    )
    response = HttpResponse(exports.results_csv(results), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rueckmeldungen-{questionnaire.event.slug}.csv"'
    return response


@require_POST
def select_texts(request: HttpRequest, slug: str) -> HttpResponse:
    questionnaire, staff = _results_access(request, slug)
    if not staff:
        raise Http404
    try:
        selected = [uuid.UUID(value) for value in request.POST.getlist("selected")]
    except ValueError:
        messages.error(request, _("Die Auswahl passt nicht zu diesem Fragebogen. Bitte laden Sie die Seite neu."))
        return redirect("feedback:results", slug=slug)
    try:
        count = services.free_texts_select_for_documentation(
            questionnaire=questionnaire, selected_ids=selected, by=request.user
        )
    except FeedbackError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            ngettext(
                "Auswahl gespeichert: %(count)d Freitext geht in die Dokumentation ein.",
                "Auswahl gespeichert: %(count)d Freitexte gehen in die Dokumentation ein.",
                count,
            )
            % {"count": count},
        )
    return redirect("feedback:results", slug=slug)
