import pytest

from accounts.models import Role, RoleName
from accounts.tests.factories import UserFactory
from frameworks.models import Framework, FrameworkVersion, Measure
from frameworks.tests.factories import MEASURE_NAMES
from learning import services
from organisations.tests.factories import IcbFactory, TrustFactory


@pytest.fixture
def measures(db):
    framework = Framework.objects.create(slug="wgll", title="What Good Looks Like")
    version = FrameworkVersion.objects.create(
        framework=framework,
        version="2025.1",
        year=2025,
        revision=1,
        title="WGLL 2025.1",
        status=FrameworkVersion.Status.PUBLISHED,
        content_hash="0" * 64,
        source={},
    )
    for number, (key, name) in enumerate(MEASURE_NAMES.items(), start=1):
        Measure.objects.create(
            framework_version=version,
            key=key,
            number=number,
            name=name,
            ics_expectation="-",
            organisation_expectation="-",
        )
    return version


def person(role=RoleName.CONTRIBUTOR, organisation=None, **names):
    user = UserFactory(**names)
    Role.objects.create(user=user, name=role, organisation=organisation)
    return user


@pytest.fixture
def trust(db):
    return TrustFactory(membership__ics=IcbFactory())


@pytest.fixture
def writer(trust):
    return person(organisation=trust)


@pytest.fixture
def moderator(db):
    return person(RoleName.PLATFORM_ADMIN)


def content(**overrides):
    data = {
        "kind": "redprint",
        "title": "Go-live moved twice",
        "summary": "What we learnt when the go-live moved.",
        "what_went_wrong": "The build was not stable before training.",
        "do_differently": "Freeze the build before training.",
        "outcome": "partly",
        "topics": ["epr"],
        "measures": ["safe_practice"],
        "suppliers": ["Acme EPR"],
        "org_types": ["acute"],
    }
    data.update(overrides)
    return data


def published(writer, trust, moderator=None, **overrides):
    entry = services.create_entry(by=writer, organisation=trust, content=content(**overrides))
    services.publish(entry=entry, by=writer)
    if entry.anonymous:
        services.approve_entry(entry=entry, by=moderator)
    entry.refresh_from_db()
    return entry
