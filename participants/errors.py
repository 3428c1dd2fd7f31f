from django.utils.translation import gettext_lazy as _

from kokportal.errors import DomainError


class RegistrationError(DomainError):
    """A registration rule was broken; the message is shown to the person as it is."""

    default_message = _("Die Anmeldung ist nicht möglich.")


class EventBusy(RegistrationError):
    default_message = _(
        "Gerade melden sich sehr viele Personen gleichzeitig an. Bitte versuchen Sie es in einem Moment noch einmal."
    )


class OrganisationTypeMismatch(RegistrationError):
    default_message = _(
        "Die Organisation gehört zu einer anderen Art von Organisation als die Anmeldung. Die Art bestimmt den "
        "Platz; um sie zu ändern, stornieren Sie die Anmeldung und melden die Person neu an."
    )


class RegistrationClosed(RegistrationError):
    default_message = _("Für diese Veranstaltung ist die Anmeldung nicht geöffnet.")


class TypeNotInvited(RegistrationError):
    default_message = _("Ihre Art von Organisation ist zu dieser Veranstaltung nicht eingeladen.")


class AlreadyRegistered(RegistrationError):
    default_message = _("Sie sind für diese Veranstaltung bereits angemeldet.")


class InvalidTransition(RegistrationError):
    default_message = _("Diese Änderung ist im aktuellen Status der Anmeldung nicht möglich.")


class NoSeatAvailable(RegistrationError):
    default_message = _("Für diese Art von Organisation ist kein Platz frei. Erhöhen Sie zuerst das Kontingent.")


class CancellationDeadlinePassed(RegistrationError):
    default_message = _(
        "Die Frist für eine Stornierung ist abgelaufen. Bitte wenden Sie sich an die KOK-Geschäftsstelle."
    )


class CheckInNotAllowed(RegistrationError):
    default_message = _("Den Einlass dieser Veranstaltung betreuen nur die KOK-Geschäftsstelle und das Team.")


class AttendanceTooEarly(RegistrationError):
    default_message = _(
        "Eine Teilnahme lässt sich erst ab dem Vortag einer veröffentlichten Veranstaltung vermerken, nicht bei "
        "Entwürfen, abgesagten oder künftigen Veranstaltungen."
    )


class CheckInClosed(RegistrationError):
    default_message = _(
        "Einlass ist nur vom Vortag bis zum Tag nach der Veranstaltung möglich, und nur bei einer "
        "veröffentlichten Veranstaltung."
    )


class CheckInNotExpected(RegistrationError):
    default_message = _(
        "Diese Person hat keinen bestätigten Platz (Warteliste, storniert, abgelehnt oder noch nicht freigegeben) "
        "und kann nicht eingelassen werden. Bitte wenden Sie sich an die KOK-Geschäftsstelle."
    )


class MailingError(DomainError):
    """A rule of mails to an event's people was broken (participants.mailings)."""

    default_message = _("Die E-Mail kann nicht gesendet werden.")


class MailingNotAllowed(MailingError):
    default_message = _("Nur die KOK-Geschäftsstelle darf E-Mails an die Teilnehmer*innen eines Praxisfachtags senden.")


class MailingNoRecipients(MailingError):
    default_message = _("In den gewählten Status gibt es keine Anmeldungen: Die E-Mail hätte keine Empfänger*innen.")


class MailingInvalid(MailingError):
    default_message = _("Betreff oder Text der E-Mail sind nicht gültig.")


class MailingAlreadySent(MailingError):
    default_message = _(
        "Diese Bestätigung ist schon benutzt worden: Die E-Mail ist bereits gesendet. Ein zweites Mal senden Sie sie "
        "nur mit einer neuen Bestätigung."
    )

    def __init__(self, mailing=None, message=None):
        super().__init__(message)
        self.mailing = mailing


class MailingRecipientsChanged(MailingError):
    default_message = _(
        "Die Zahl der Empfänger*innen hat sich seit Ihrer Bestätigung geändert. Bitte prüfen und bestätigen Sie erneut."
    )


class CertificateError(DomainError):
    """A certificate of attendance cannot be issued, or a signature image not accepted."""

    default_message = _("Die Teilnahmebescheinigung kann nicht ausgestellt werden.")


class NotAttended(CertificateError):
    default_message = _(
        "Eine Teilnahmebescheinigung gibt es nur für Personen, deren Teilnahme vermerkt ist (Status „teilgenommen“)."
    )


class CertificatesTooEarly(CertificateError):
    default_message = _(
        "Teilnahmebescheinigungen gibt es erst ab dem Tag der Veranstaltung und nur für veröffentlichte "
        "Veranstaltungen."
    )


class SignatureImageInvalid(CertificateError):
    default_message = _(
        "Die Unterschrift muss ein PNG- oder JPEG-Bild von höchstens 2 MB und höchstens 25 Millionen Bildpunkten "
        "(etwa 5000 × 5000) sein."
    )


class InvalidAnswer(RegistrationError):
    default_message = _(
        "Eine Antwort auf die Fragen zu diesem Praxisfachtag ist ungültig. Bitte prüfen Sie Ihre Angaben."
    )


class InvitationRequired(RegistrationError):
    default_message = _(
        "Zu diesem Praxisfachtag melden Sie sich über den Link Ihrer persönlichen Einladung an. Wenn Sie keine "
        "Einladung bekommen haben, wenden Sie sich bitte an die KOK-Geschäftsstelle."
    )


class InvitationError(DomainError):
    """Invitations to an event cannot be sent (participants.invitations)."""

    default_message = _("Die Einladungen können nicht gesendet werden.")


class InvitationNotAllowed(InvitationError):
    default_message = _("Nur die KOK-Geschäftsstelle darf zu einem Praxisfachtag einladen.")


class InvitationEventNotOpen(InvitationError):
    default_message = _(
        "Eingeladen wird nur zu einem veröffentlichten Praxisfachtag, dessen Anmeldung offen ist oder noch öffnet: "
        "nicht zu Entwürfen, abgesagten oder vergangenen Praxisfachtagen und nicht nach dem Anmeldeschluss."
    )


class InvitationNoRecipients(InvitationError):
    default_message = _(
        "Die Auswahl enthält keine Adresse, die noch nicht eingeladen ist: Es gäbe keine Empfänger*innen."
    )


class InvitationSegmentInvalid(InvitationError):
    default_message = _("Bitte wählen Sie, wer eingeladen wird: Organisationen, Personen mit Einwilligung oder beide.")


class InvitationsAlreadySent(InvitationError):
    default_message = _(
        "Diese Bestätigung ist schon benutzt worden: Die Einladungen sind bereits gesendet. Ein zweites Mal gehen sie "
        "an dieselben Adressen nicht."
    )

    def __init__(self, batch=None, message=None):
        super().__init__(message)
        self.batch = batch


class InvitationRecipientsChanged(InvitationError):
    default_message = _(
        "Die Zahl der Empfänger*innen hat sich seit Ihrer Bestätigung geändert. Bitte prüfen und bestätigen Sie erneut."
    )
