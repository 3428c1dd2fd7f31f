"""Portal pages of the case-example workshops: workshop, case example, small group, printable groups."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kokportal.roles import acts_as_staff

from . import anonymisation, permissions, selectors, services
from .anonymisation import Finding, has_blocking, highlight_html
from .enums import CaseStatus
from .errors import CaseworkError, FindingChanged
from .forms import CaseExampleForm, GroupResultsForm, SuggestionForm
from .models import CaseExample, Workshop


@login_required
def workshop(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.workshop_page(user=request.user, pk=pk)
    return render(request, "casework/workshop.html", {"page": page})


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for_reader(user=request.user, pk=pk)
    context = {
        "case": case,
        "workshop": case.workshop,
        "may_edit": case.status in (CaseStatus.DRAFT, CaseStatus.IN_REVIEW)
        and permissions.may_edit_case(request.user, case),
        "latest_return": selectors.latest_return_for(user=request.user, case=case),
    }
    if case.status != CaseStatus.APPROVED or acts_as_staff(request.user):
        findings = anonymisation.check_text(case.text)
        context |= {
            "findings": findings,
            "highlighted": highlight_html(case.text, findings),
            "blocking": has_blocking(findings),
        }
    return render(request, "casework/case_detail.html", context)


def _render_case_form(
    request: HttpRequest,
    *,
    form: CaseExampleForm,
    workshop: Workshop,
    case: CaseExample | None,
    text: str = "",
    findings: list[Finding] | None = None,
) -> HttpResponse:
    return render(
        request,
        "casework/case_form.html",
        {
            "form": form,
            "workshop": workshop,
            "case": case,
            "findings": findings,
            "highlighted": highlight_html(text, findings) if findings is not None else None,
            "blocking": findings is not None and has_blocking(findings),
            "latest_return": selectors.latest_return_for(user=request.user, case=case) if case else None,
        },
    )


def _apply_suggestion(
    request: HttpRequest, *, workshop: Workshop, case: CaseExample | None, can_submit: bool
) -> HttpResponse:
    """An "Übernehmen" or "Entfernen" button: replace exactly that passage of the posted text (nothing is saved)
    and show the text again with a fresh check."""
    suggestion = SuggestionForm.from_post(request.POST)
    if not suggestion.is_valid():
        if "text" in suggestion.errors:  # empty or too long: the case form says so
            form = CaseExampleForm(request.POST, instance=case, can_submit=can_submit)
            form.is_valid()
            return _render_case_form(request, form=form, workshop=workshop, case=case)
        text = suggestion.cleaned_data["text"]
        messages.error(request, FindingChanged.default_message)
    else:
        data = suggestion.cleaned_data
        text = data["text"]
        try:
            text = services.case_text_apply_suggestion(
                text=text, start=data["start"], end=data["end"], excerpt=data["excerpt"], suggestion=data["suggestion"]
            )
        except CaseworkError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _(
                    "Die Stelle ist ersetzt. Der Text ist noch nicht gespeichert: Bitte lesen Sie ihn noch einmal "
                    "und speichern Sie ihn."
                ),
            )
    form = CaseExampleForm(
        initial={"title": request.POST.get("title", ""), "text": text}, instance=case, can_submit=can_submit
    )
    return _render_case_form(
        request, form=form, workshop=workshop, case=case, text=text, findings=anonymisation.check_text(text)
    )


def _blocking(text: str) -> list[Finding]:
    return [finding for finding in anonymisation.check_text(text) if finding.is_blocking]


def _case_form(request: HttpRequest, *, workshop: Workshop, case: CaseExample | None) -> HttpResponse:
    can_submit = case is None or case.status == CaseStatus.DRAFT
    if request.method == "POST" and "apply" in request.POST:
        return _apply_suggestion(request, workshop=workshop, case=case, can_submit=can_submit)
    form = CaseExampleForm(request.POST or None, instance=case, can_submit=can_submit)
    findings = None
    text = ""
    if request.method != "POST" and case is not None and case.text:
        # The stored text's findings, with their suggestions, right away; positions as the form will post the text
        # back (stripped, line breaks as LF).
        try:
            text = form.fields["text"].clean(case.text)
        except ValidationError:
            text = ""
        findings = anonymisation.check_text(text) if text else None
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "save")
        title, text = form.cleaned_data["title"], form.cleaned_data["text"]
        if action == "check":
            findings = anonymisation.check_text(text)
        elif action == "submit" and can_submit and (blocking := _blocking(text)):
            # Warn before submitting a text that can still identify someone; "Trotzdem einreichen" submits it.
            return render(
                request,
                "casework/case_submit_confirm.html",
                {"workshop": workshop, "case": case, "title": title, "text": text, "blocking": blocking},
            )
        else:
            try:
                if case is None:
                    case = services.case_example_create(workshop=workshop, author=request.user, title=title, text=text)
                else:
                    case = services.case_example_update(case=case, by=request.user, title=title, text=text)
                if action in ("submit", "submit_confirmed"):
                    services.case_example_submit(case=case, by=request.user)
                    messages.success(
                        request,
                        _(
                            "Das Fallbeispiel ist zur Freigabe eingereicht. Eine zweite Person "
                            "der KOK-Geschäftsstelle prüft es."
                        ),
                    )
                elif case.status == CaseStatus.IN_REVIEW:
                    messages.success(
                        request,
                        _(
                            "Die Änderungen sind gespeichert. Das Fallbeispiel bleibt zur Freigabe eingereicht; "
                            "geprüft wird die neue Fassung."
                        ),
                    )
                else:
                    messages.success(request, _("Der Entwurf ist gespeichert."))
                return redirect(case)
            except CaseworkError as exc:
                form.add_error(None, exc.message)
    return _render_case_form(request, form=form, workshop=workshop, case=case, text=text, findings=findings)


@login_required
def case_create(request: HttpRequest, workshop_pk: int) -> HttpResponse:
    workshop = get_object_or_404(Workshop.objects.select_related("event"), pk=workshop_pk)
    if not permissions.may_write_cases(request.user, workshop):
        raise Http404
    return _case_form(request, workshop=workshop, case=None)


@login_required
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(CaseExample.objects.select_related("workshop__event"), pk=pk)
    if not permissions.may_edit_case(request.user, case):
        raise Http404
    return _case_form(request, workshop=case.workshop, case=case)


@login_required
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group, may_record = selectors.group_for_viewer(user=request.user, pk=pk)
    form = GroupResultsForm(request.POST or None, instance=group) if may_record else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            services.group_results_record(
                group=group,
                by=request.user,
                results=form.cleaned_data["results"],
                agreements=form.cleaned_data["agreements"],
            )
            messages.success(request, _("Die Ergebnisse der Gruppe sind gespeichert."))
            return redirect(group)
    return render(
        request,
        "casework/group_detail.html",
        {
            "group": group,
            "workshop": group.workshop,
            "members": selectors.group_members(group),
            "form": form,
            "is_team": may_record,
            "unassigned": selectors.unassigned_for_viewer(user=request.user, workshop=group.workshop),
        },
    )


@login_required
@require_POST
def place_unassigned(request: HttpRequest, pk: int) -> HttpResponse:
    """The button "In Kleingruppen einteilen" for the participants in no small group: staff and facilitators only
    (anyone else gets a 404, as on the workshop page)."""
    workshop = get_object_or_404(Workshop.objects.select_related("event"), pk=pk)
    if not permissions.may_place_participants(request.user, workshop):
        raise Http404
    try:
        places = services.unassigned_participants_place(workshop=workshop, by=request.user)
    except CaseworkError as exc:
        messages.error(request, exc.message)
    else:
        if places:
            messages.success(
                request,
                # Without names: messages may travel in a cookie. The page lists the groups with their members.
                ngettext(
                    "%(count)d Person ist jetzt in einer Kleingruppe.",
                    "%(count)d Personen sind jetzt in einer Kleingruppe.",
                    len(places),
                )
                % {"count": len(places)},
            )
        else:
            messages.info(request, _("Alle Teilnehmenden sind bereits in einer Kleingruppe."))
    return redirect(workshop)


@login_required
def groups_print(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = get_object_or_404(Workshop.objects.select_related("event", "programme_item"), pk=pk)
    if not permissions.can_record_results(request.user, workshop):
        raise Http404
    return render(
        request,
        "casework/groups_print.html",
        {"workshop": workshop, "groups": selectors.printable_groups(workshop=workshop)},
    )
