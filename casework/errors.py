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

    hard_message = _(
        "Der Text enthält noch Stellen wie Telefonnummern, Anschriften oder genaue Daten. Sie lassen sich nicht "
        "als Fehlalarm begründen: Ändern Sie den Text oder geben Sie das Fallbeispiel zur Überarbeitung zurück."
    )

    def __init__(self, findings, message=None):
        self.findings = findings
        super().__init__(message)


class HardFindingNotDismissable(CaseworkError):
    """A hard identifier (phone, e-mail, address, exact date, file number, ...) can only be removed, never judged a
    false alarm."""

    default_message = _(
        "Telefonnummern, E-Mail- und Internetadressen, Konten, Anschriften, Postleitzahlen, genaue Daten, "
        "Aktenzeichen, Ausweisnummern und Kfz-Kennzeichen lassen sich nicht als Fehlalarm begründen. Solche "
        "Stellen müssen aus dem Text entfernt werden."
    )


class ReasonNotASentence(CaseworkError):
    default_message = _(
        "Bitte begründen Sie in mindestens einem vollständigen Satz (mindestens 6 Wörter und 30 Zeichen, am "
        "Ende ein Punkt, Ausrufe- oder Fragezeichen), warum die Stelle Betroffene nicht erkennbar macht."
    )


class FindingChanged(CaseworkError):
    default_message = _(
        "Diese Stelle steht nicht mehr so im Text, vermutlich wurde er inzwischen geändert. Der Text ist "
        "unverändert geblieben; bitte prüfen Sie ihn erneut."
    )


class TextTooLong(CaseworkError):
    default_message = _("Mit dieser Änderung wäre der Text zu lang. Bitte kürzen Sie ihn zuerst.")


class CommentRequired(CaseworkError):
    default_message = _("Bitte schreiben Sie dazu, was am Fallbeispiel überarbeitet werden soll.")


class CommentTooLong(CaseworkError):
    default_message = _("Der Kommentar ist zu lang. Bitte kürzen Sie ihn.")


class NotAllowed(CaseworkError):
    default_message = _("Dafür fehlt Ihnen die Berechtigung.")


class GroupsHaveResults(CaseworkError):
    default_message = _(
        "Die Kleingruppen haben schon Ergebnisse. Neu einteilen würde die Zuordnung der Ergebnisse "
        "ändern; bitte verschieben Sie Personen einzeln."
    )
