"""The API does what its OpenAPI description says: schemathesis sends every
operation valid and invalid requests, at real addresses with a real token as
well as made-up ones, and checks each answer against the description (status,
content type, body, headers: every built-in check)."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.generation import GenerationMode

from accounts import tokens
from assessments.tests import factories
from learning.tests.conftest import published
from northstar.wsgi import application

pytestmark = pytest.mark.django_db

# A rule of the domain refusing a well-formed request (an element the domain
# does not have, evidence not in the round, a step the assessment is not
# ready for) is 400 with the reason: no schema can say those rules.
ACCEPTED = ["2xx", "400", "401", "403", "404", "409"]
CONFIG = {
    "checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED}},
    # The token is sent with every request below, so schemathesis does not make
    # up Authorization headers of its own; and like most HTTP APIs this one
    # ignores query parameters it does not know rather than refusing them.
    "generation": {"with-security-parameters": False, "allow-extra-parameters": False},
}

# Small, derandomized and without shrinking, so the suite keeps its time.
BOUNDED = settings(
    max_examples=10,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def api_schema(db):
    # As Django's test client does: the test's transaction outlives each request.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi(
            "/api/v1/openapi.json",
            application,
            config=schemathesis.config.SchemathesisConfig.from_dict(CONFIG),
        )
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def test_the_api_does_what_its_description_says(api_schema):
    world = factories.build_world()
    entry = published(world.contributor, world.trust)
    real = {
        "reference": entry.reference,
        "round": "2026-27",
        "ods_code": world.trust.ods_code,
        "care_setting": "acute",
        "domain": "epr",
        "slug": world.version.framework.slug,
        "version": world.version.version,
    }
    failures = {}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    for operation in operations:
        names = {parameter.name for parameter in operation.path_parameters}
        at_real_address = {name: real[name] for name in names if name in real}
        cases = st.one_of(
            *(
                operation.as_strategy(mode, path_parameters=path_parameters)
                for path_parameters in (None, at_real_address)
                for mode in GenerationMode
            )
        )

        @BOUNDED
        @given(case=cases)
        def check(case):
            # A fresh token each time: a request may revoke the token it was sent with.
            _, secret = tokens.create(user=world.contributor, name="schemathesis", scope="write")
            case.call_and_validate(headers={"Authorization": f"Bearer {secret}"})

        try:
            check()
        except BaseException as failure:  # noqa: BLE001 - every operation's failures, reported together
            failures[operation.label] = failure
    assert len(operations) >= 25
    assert not failures, "\n\n".join(f"{label}:\n{failure}" for label, failure in failures.items())
