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


class TextChangedSinceOpened(CaseworkError):
    default_message = _(
        "Der Text wurde geändert, seit Sie die Prüfseite geöffnet haben. Bitte lesen Sie die aktuelle Fassung, "
        "bevor Sie sie freigeben."
    )


class EditorMayNotApprove(CaseworkError):
    default_message = _(
        "Sie haben den Text zuletzt geändert. Freigeben muss eine zweite Person, die den Text nicht verfasst oder "
        "geändert hat."
    )


class TitleIdentifies(CaseworkError):
    """The title names a detail of the check. The findings are kept on the error for the form to show; the message
    (which may end up in a log) never contains them."""

    default_message = _(
        "Der Titel enthält Angaben, die Betroffene erkennbar machen können. Titel erscheinen in Listen, Mails und "
        "der Dokumentation: Bitte formulieren Sie ihn allgemein."
    )

    def __init__(self, findings=(), message=None):
        self.findings = list(findings)
        super().__init__(message)


class NothingToApprove(CaseworkError):
    default_message = _("Der Text dieses Fallbeispiels ist gelöscht; es gibt nichts mehr freizugeben.")


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


class NoGroupsYet(CaseworkError):
    default_message = _(
        "Der Workshop hat noch keine Kleingruppen. Bitte teilen Sie zuerst die Kleingruppen ein; dabei kommen alle "
        "bestätigten Teilnehmenden in eine Gruppe."
    )


class GroupsBusy(CaseworkError):
    default_message = _(
        "Die Kleingruppen werden gerade an anderer Stelle bearbeitet. Es wurde niemand eingeteilt; bitte versuchen "
        "Sie es in einem Moment noch einmal."
    )
