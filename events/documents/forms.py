"""The filter of the report across events (events.documents.report): period, project and formats."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.enums import EventKind
from events.models import Project

from .report import MAX_YEARS

# Dates outside these years are typing errors (the series began in 2003).
MIN_YEAR, MAX_YEAR = 1990, 2100


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The last twelve months up to today."""
    today = today or timezone.localdate()
    return _years_before(today, 1) + dt.timedelta(days=1), today


class ReportFilterForm(forms.Form):
    """Empty period: the project's period when a project is chosen, else the last twelve months. No format ticked:
    every format."""

    period_start = forms.DateField(
        label=_("Zeitraum von"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
    )
    period_end = forms.DateField(
        label=_("Zeitraum bis"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
    )
    project = forms.ModelChoiceField(
        label=_("Projekt"),
        queryset=Project.objects.defer("logo_png").order_by("-starts_on", "title"),
        required=False,
        empty_label=_("alle Projekte und Veranstaltungen ohne Projekt"),
        help_text=_("Ohne Angabe des Zeitraums gilt die Laufzeit des Projekts."),
    )
    kinds = forms.MultipleChoiceField(
        label=_("Formate"),
        choices=EventKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Keines angekreuzt: alle Formate."),
    )

    def _clean_year(self, name: str) -> dt.date | None:
        day = self.cleaned_data.get(name)
        if day is not None and not (MIN_YEAR <= day.year <= MAX_YEAR):
            raise forms.ValidationError(
                _("Bitte ein Datum zwischen %(first)d und %(last)d.") % {"first": MIN_YEAR, "last": MAX_YEAR},
                code="out_of_range",
            )
        return day

    def clean_period_start(self):
        return self._clean_year("period_start")

    def clean_period_end(self):
        return self._clean_year("period_end")

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        start, end, project = data.get("period_start"), data.get("period_end"), data.get("project")
        if project is not None:
            start = start or project.starts_on
            end = end or project.ends_on
        default_start, default_end = default_period()
        if start is None and end is None:
            start, end = default_start, default_end
        elif start is None:
            start = _years_before(end, 1) + dt.timedelta(days=1)
        elif end is None:
            end = max(default_end, start)
        if end < start:
            raise forms.ValidationError(_("Das Ende des Zeitraums liegt vor seinem Beginn."), code="end_before_start")
        if end > _years_before(start, -MAX_YEARS):
            raise forms.ValidationError(
                _("Der Zeitraum darf höchstens %(years)d Jahre umfassen.") % {"years": MAX_YEARS}, code="too_long"
            )
        data["period_start"], data["period_end"] = start, end
        return data

    def filters(self) -> dict:
        """The keyword arguments of ``report.series_report`` (after ``is_valid``)."""
        data = self.cleaned_data
        return {
            "period_start": data["period_start"],
            "period_end": data["period_end"],
            "project": data["project"],
            "kinds": list(data["kinds"]),
        }
