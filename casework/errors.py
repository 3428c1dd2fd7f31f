from django.utils.translation import gettext_lazy as _

from kokportal.errors import DomainError


class CaseworkError(DomainError):
    default_message = _("Diese Aktion ist nicht möglich.")


class InvalidCaseTransition(CaseworkError):
    default_message = _("Diese Änderung ist im aktuellen Status des Fallbeispiels nicht möglich.")


class SecondPersonRequired(CaseworkError):
    default_message = _(
        "Ein Fallbeispiel muss von einer zweiten Person freigegeben werden, nicht von der Verfasserin "
        "oder dem Verfasser."
    )


class BlockingFindings(CaseworkError):
    """Approval is blocked while the anonymisation check has blocking findings without a recorded reason."""

    default_message = _(
        "Die Prüfung hat Stellen gefunden, die Betroffene erkennbar machen können. Ändern Sie den "
        "Text oder begründen Sie für jede Stelle, warum sie unbedenklich ist."
    )

    def __init__(self, findings, message=None):
        self.findings = findings
        super().__init__(message)


class NotAllowed(CaseworkError):
    default_message = _("Dafür fehlt Ihnen die Berechtigung.")


class GroupsHaveResults(CaseworkError):
    default_message = _(
        "Die Kleingruppen haben schon Ergebnisse. Neu einteilen würde die Zuordnung der Ergebnisse "
        "ändern; bitte verschieben Sie Personen einzeln."
    )
