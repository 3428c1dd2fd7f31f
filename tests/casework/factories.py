import factory

from casework.enums import CaseStatus
from casework.models import CaseExample, SmallGroup, Workshop, WorkshopParticipant
from tests.factories import EventFactory, ProgrammeItemFactory, RegistrationFactory, StaffFactory, UserFactory

CLEAN_TEXT = (
    "Frau A., Anfang zwanzig, aus einem westafrikanischen Land, wurde mit falschen Versprechungen nach "
    "Deutschland gebracht. Sie arbeitete in einem Bordell in einer süddeutschen Großstadt und hat seit 2019 "
    "Kontakt zu einer Fachberatungsstelle."
)
BLOCKED_TEXT = "Frau Blessing Okafor wohnt in der Musterstraße 12, 30159 Hannover, Telefon 0176 12345678."


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory)
    programme_item = factory.LazyAttribute(lambda o: ProgrammeItemFactory(event=o.event, kind="workshop"))
    title = factory.Sequence(lambda n: f"Fallbeispiele in Kleingruppen {n}")
    group_size = 4


class CaseExampleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseExample

    workshop = factory.SubFactory(WorkshopFactory)
    title = factory.Sequence(lambda n: f"Fallbeispiel {n}")
    text = CLEAN_TEXT
    author = factory.SubFactory(UserFactory)
    status = CaseStatus.DRAFT

    class Params:
        approved = factory.Trait(status=CaseStatus.APPROVED, approved_by=factory.SubFactory(StaffFactory))


class SmallGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SmallGroup

    workshop = factory.SubFactory(WorkshopFactory)
    number = factory.Sequence(lambda n: n + 1)


class WorkshopParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkshopParticipant

    workshop = factory.SubFactory(WorkshopFactory)
    registration = factory.LazyAttribute(lambda o: RegistrationFactory(event=o.workshop.event))


def approval_post(case: CaseExample, reasons: dict[str, str] | None = None) -> dict[str, str]:
    """The review form as a reviewer posts it: the hash of what they saw, and a reason for each finding given by its
    excerpt, in the field named by the finding (casework.forms.ApprovalForm.reason_name)."""
    from casework import anonymisation, services
    from casework.forms import ApprovalForm

    data = {"reviewed": services.review_hash(case)}
    for finding in anonymisation.check_text(case.text):
        if reasons and finding.excerpt in reasons:
            data[ApprovalForm.reason_name(finding)] = reasons[finding.excerpt]
    return data
