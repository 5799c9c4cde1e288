import pytest

from frameworks.tests.factories import load
from organisations.models import Organisation


@pytest.fixture
def version(tmp_path_factory):
    return load(tmp_path_factory.mktemp("framework"))


@pytest.fixture
def trust():
    return Organisation.objects.create(
        ods_code="RXN", name="A Trust", org_type="acute", care_settings=["acute"]
    )
