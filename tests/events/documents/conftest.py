import datetime as dt
import io
from dataclasses import dataclass

import pytest
from django.utils import timezone
from pypdf import PdfReader

from casework.enums import CaseStatus
from casework.feedback.enums import QuestionKind
from events.enums import EventReach, TeamRole
from kokportal.federal_states import FederalState
from participants.enums import RegistrationStatus
from tests.factories import (
    EventFactory,
    EventTeamMemberFactory,
    OrganisationFactory,
    ProgrammeItemFactory,
    RegistrationFactory,
    UserFactory,
    organisation_type,
)

from .factories import (
    AnswerFactory,
    DocCaseExampleFactory,
    DocSmallGroupFactory,
    DocWorkshopFactory,
    DocWorkshopParticipantFactory,
    FeedbackInvitationFactory,
    FeedbackResponseFactory,
    QuestionFactory,
    QuestionnaireFactory,
)


def pdf_text(content: bytes) -> str:
    """The text of all pages, whitespace collapsed."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def person(first: str, last: str, *, event, status=RegistrationStatus.ATTENDED, consent=False, type_slug, state):
    user = UserFactory(first_name=first, last_name=last, email=f"{first.lower()}.{last.lower()}@example.org")
    organisation = OrganisationFactory(organisation_type=organisation_type(type_slug), name=f"Stelle {last}")
    return RegistrationFactory(
        event=event,
        user=user,
        status=status,
        organisation=organisation,
        federal_state=state,
        contact_list_consent=consent,
        contact_list_consented_at=timezone.now() if consent else None,
    )


@dataclass
class Documented:
    event: object
    consenting: list  # registrations on the contact list
    not_consenting: list  # participating, not on the contact list
    others: list  # cancelled or waitlisted
    co_organiser: object
    facilitator: object
    workshop_facilitator: object

    @property
    def all_registrations(self):
        return self.consenting + self.not_consenting + self.others


@pytest.fixture
def documented(db) -> Documented:
    """A past national event with figures, group results, feedback and case examples, whose expected figures the
    tests assert exactly:

    by type:  Fachberatungsstelle 3 registered / 2 confirmed / 2 attended; BAMF 3 / 2 / 1; total 6 / 4 / 3
    by state: Berlin 2 / 1 / 1; Bayern 2 / 2 / 1; Hamburg 2 / 1 / 1
    """
    event = EventFactory(
        past=True,
        title="Praxisfachtag Dokumentationstest",
        slug="praxisfachtag-dokumentationstest",
        reach=EventReach.NATIONAL,
        date=dt.date(2019, 11, 13),
        description="Austausch zwischen Fachberatungsstellen und BAMF.",
        summary="Zusammenfassung des Tages durch die Geschäftsstelle.",
        outcomes="Ausblick: regionale Vernetzungstreffen ab dem nächsten Jahr.",
    )
    event.co_organisers.set(
        [OrganisationFactory(name="BAMF – Referat 61A", organisation_type=organisation_type("bamf"))]
    )
    ProgrammeItemFactory(event=event, start=dt.time(9, 30), end=dt.time(10, 0), kind="welcome", title="Begrüßung")
    fbs, bamf = "fachberatungsstelle", "bamf"
    anna = person("Ottilie", "Quastenberg", event=event, consent=True, type_slug=fbs, state=FederalState.BE)
    bernd = person("Bertram", "Zwirbelmann", event=event, type_slug=fbs, state=FederalState.HH)
    clara = person(
        "Cosima", "Kühlschrank", event=event, status=RegistrationStatus.CANCELLED, type_slug=fbs, state=FederalState.HH
    )
    dora = person("Dorothea", "Yılmazoğlu", event=event, consent=True, type_slug=bamf, state=FederalState.BY)
    emil = person(
        "Emilian", "Wackelpudding", event=event, status=RegistrationStatus.CONFIRMED, type_slug=bamf, state="BY"
    )
    frieda = person(
        "Friedolin", "Warteschlange", event=event, status=RegistrationStatus.WAITLISTED, type_slug=bamf, state="BE"
    )

    workshop = DocWorkshopFactory(event=event, title="Arbeitsgruppen an Fallbeispielen")
    group = DocSmallGroupFactory(
        workshop=workshop,
        number=1,
        results="Die Gruppe hat Indikatoren gesammelt.",
        agreements="Feste Ansprechpersonen in der Außenstelle.",
    )
    DocSmallGroupFactory(workshop=workshop, number=2, results="", agreements="")
    for registration in (anna, bernd):
        DocWorkshopParticipantFactory(workshop=workshop, registration=registration, group=group)
    facilitator = UserFactory(first_name="Moderierende", last_name="Person")
    workshop.facilitators.set([facilitator])

    DocCaseExampleFactory(workshop=workshop, title="Fallbeispiel Gastronomie", text="Herr T. arbeitete im Restaurant.")
    DocCaseExampleFactory(
        workshop=workshop, title="Entwurf", text="Entwurfstext nie drucken.", status=CaseStatus.DRAFT, approved_by=None
    )
    DocCaseExampleFactory(workshop=workshop, title="Gelöschtes Fallbeispiel", text="", purged_at=timezone.now())

    questionnaire = QuestionnaireFactory(event=event)
    overall = QuestionFactory(questionnaire=questionnaire, position=1, text="Wie zufrieden waren Sie insgesamt?")
    again = QuestionFactory(
        questionnaire=questionnaire, position=2, kind=QuestionKind.YES_NO, text="Würden Sie wieder teilnehmen?"
    )
    technik = QuestionFactory(questionnaire=questionnaire, position=3, text="Wie bewerten Sie die Technik?")
    takeaway = QuestionFactory(
        questionnaire=questionnaire, position=4, kind=QuestionKind.TEXT, text="Was nehmen Sie mit?"
    )
    plan = [
        # overall rating, again, technik rating, free text, selected
        (5, True, 4, "Der persönliche Austausch war wertvoll.", True),
        (4, True, 2, "Nicht ausgewählter Freitext.", False),
        (4, False, None, "", False),
        (3, None, None, "", False),
    ]
    for rating, yes_no, tech, text, selected in plan:
        response = FeedbackResponseFactory(questionnaire=questionnaire)
        AnswerFactory(response=response, question=overall, rating=rating)
        if yes_no is not None:
            AnswerFactory(response=response, question=again, yes_no=yes_no)
        if tech is not None:
            AnswerFactory(response=response, question=technik, rating=tech)
        AnswerFactory(response=response, question=takeaway, text=text, selected_for_documentation=selected)
    for registration in (anna, bernd, dora, emil):
        FeedbackInvitationFactory(questionnaire=questionnaire, registration=registration)
    FeedbackInvitationFactory(questionnaire=questionnaire, registration=clara)

    co_organiser = UserFactory(first_name="Ko", last_name="Organisatorin")
    EventTeamMemberFactory(event=event, user=co_organiser, role=TeamRole.CO_ORGANISER)
    team_facilitator = UserFactory(first_name="Team", last_name="Moderation")
    EventTeamMemberFactory(event=event, user=team_facilitator, role=TeamRole.FACILITATOR)
    return Documented(
        event=event,
        consenting=[anna, dora],
        not_consenting=[bernd, emil],
        others=[clara, frieda],
        co_organiser=co_organiser,
        facilitator=team_facilitator,
        workshop_facilitator=facilitator,
    )
