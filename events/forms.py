"""Forms of the events app's own pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SPEAKER_BIO_MAX_LENGTH

CONSENT_LABEL = _(
    "Name, Organisation und Kurzbiografie dürfen auf der Veranstaltungsseite, im Kalendereintrag und in der "
    "Dokumentation erscheinen"
)


class SpeakerConfirmForm(forms.Form):
    """What a speaker confirms on their personal page (events.speakers.speaker_confirm)."""

    organisation = forms.CharField(label=_("Organisation"), max_length=250, required=False)
    bio = forms.CharField(
        label=_("Kurzbiografie (deutsch)"),
        max_length=SPEAKER_BIO_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Höchstens 1.000 Zeichen, in der dritten Person."),
    )
    bio_en = forms.CharField(
        label=_("Kurzbiografie (englisch)"),
        max_length=SPEAKER_BIO_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Freiwillig; fehlt sie, erscheint auf der englischen Seite die deutsche."),
    )
    consent_to_publish = forms.BooleanField(
        label=CONSENT_LABEL,
        required=False,
        help_text=_(
            "Freiwillig. Ohne Ihre Einwilligung erscheint nichts über Ihre Person. Sie können sie bis zur Frist "
            "hier zurücknehmen, danach über die KOK-Geschäftsstelle. Ihre E-Mail-Adresse erscheint nirgends."
        ),
    )

    def __init__(self, *args, disabled: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if disabled:
            for field in self.fields.values():
                field.disabled = True


class SpeakerSlidesForm(forms.Form):
    """A speaker's upload on their personal page (events.speakers.speaker_slides_upload checks the rest)."""

    title = forms.CharField(label=_("Titel"), max_length=300, help_text=_("z. B. „Folien zum Input“"))
    programme_item = forms.TypedChoiceField(
        label=_("Zu welchem Programmpunkt?"), coerce=int, required=False, empty_value=None
    )
    visibility = forms.ChoiceField(
        label=_("Wer darf die Datei sehen?"),
        choices=[
            ("registered", _("angemeldete Teilnehmer*innen (auf der Veranstaltungsseite)")),
            ("team", _("nur das Team und die KOK-Geschäftsstelle")),
        ],
        initial="registered",
        widget=forms.RadioSelect,
        help_text=_("Öffentlich zugänglich macht die KOK-Geschäftsstelle Dateien nach Rücksprache mit Ihnen."),
    )
    upload = forms.FileField(
        label=_("Datei"),
        help_text=_("PDF, Word, PowerPoint, Excel, OpenDocument oder Bild; höchstens %(size)s."),
    )

    @staticmethod
    def _item_label(item, multi_day: bool) -> str:
        return item.with_day(f"{item.start_display}–{item.end_display} {item.title}", multi_day=multi_day)

    def __init__(self, *args, items=(), max_size: str = "", multi_day: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme_item"].choices = [("", _("zur ganzen Veranstaltung"))] + [
            (item.pk, self._item_label(item, multi_day)) for item in items
        ]
        self.fields["upload"].help_text = self.fields["upload"].help_text % {"size": max_size}
