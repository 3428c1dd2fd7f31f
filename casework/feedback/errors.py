"""Domain errors of the feedback flow; the message is shown to the person as it is."""

from django.utils.translation import gettext_lazy as _

from kokportal.errors import DomainError


class FeedbackError(DomainError):
    default_message = _("Diese Aktion ist nicht möglich.")
    status = 400


class InvalidLink(FeedbackError):
    default_message = _(
        "Dieser Link ist ungültig. Bitte prüfen Sie, ob Sie ihn vollständig aus der E-Mail übernommen haben."
    )
    status = 404


class LinkUsed(FeedbackError):
    default_message = _(
        "Mit diesem Link wurde bereits eine Rückmeldung abgegeben. Jede*r Teilnehmer*in kann einmal antworten. "
        "Vielen Dank für Ihre Rückmeldung!"
    )
    # Not an error for the person: they answered already (a 4xx would also show as an error in the browser).
    status = 200


class FeedbackClosed(FeedbackError):
    default_message = _("Rückmeldungen zu dieser Veranstaltung sind nicht mehr möglich.")
    status = 410


class FeedbackNotYetOpen(FeedbackError):
    default_message = _("Rückmeldungen sind erst nach dem Ende der Veranstaltung möglich.")
    status = 410


class InvalidAnswers(FeedbackError):
    default_message = _(
        "Ihre Antworten passen nicht zu diesem Fragebogen. Bitte laden Sie die Seite neu und füllen Sie den "
        "Fragebogen noch einmal aus."
    )


class NoQuestions(FeedbackError):
    default_message = _("Der Fragebogen hat noch keine Fragen.")


class NotAllowed(FeedbackError):
    default_message = _("Dafür fehlt Ihnen die Berechtigung.")
    status = 404
