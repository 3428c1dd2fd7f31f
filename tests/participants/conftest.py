import pytest

from participants.services import RegistrationData
from tests.factories import OrganisationFactory, organisation_type


def make_data(type_slug: str = "fachberatungsstelle", organisation=None, **overrides) -> RegistrationData:
    org_type = organisation_type(type_slug)
    if organisation is None:
        organisation = OrganisationFactory(organisation_type=org_type)
    values = {
        "first_name": "Aylin",
        "last_name": "Weber",
        "organisation_type": org_type,
        "organisation": organisation,
        "new_organisation_name": "",
        "new_organisation_city": "",
        "function": "Beraterin",
        "federal_state": "HH",
        **overrides,
    }
    return RegistrationData(**values)


@pytest.fixture
def data_for():
    return make_data
