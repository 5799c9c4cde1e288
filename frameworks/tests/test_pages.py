import pytest

from accounts.models import Role, User
from frameworks import services
from frameworks.tests.factories import framework_data, load, local_data, write
from organisations.models import Membership, Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(tmp_path):
    return load(tmp_path)


def test_framework_index_goes_to_the_latest_published_version(client, version):
    response = client.get("/frameworks/")
    assert response.status_code == 302
    assert response["Location"] == "/frameworks/wgll/2025.1/"


def test_version_page_lists_seven_measures_their_domains_rules_and_board_questions(client, version):
    page = client.get("/frameworks/wgll/2025.1/").text
    for name in ["Well led", "Ensure smart foundations", "Healthy populations"]:
        assert name in page
    assert "Closed loop medicines at level 4 or above needs Epr at level 3 or above" in page
    assert "Board question 8?" in page


def test_version_page_filters_domains_by_care_setting(client, version):
    page = client.get("/frameworks/wgll/2025.1/?care_setting=ics").text
    assert "Ics well led" in page
    assert "Well led core" not in page


def test_domain_page_shows_every_level_and_its_elements(client, version):
    page = client.get("/frameworks/wgll/2025.1/domains/epr/").text
    for level in range(1, 6):
        assert f"Level {level}:" in page
        assert f"epr level {level} element b" in page
    assert "Required for a claim at level 4 or above" in page


def test_unknown_domain_or_version_is_not_found(client, version):
    assert client.get("/frameworks/wgll/2025.1/domains/nope/").status_code == 404
    assert client.get("/frameworks/wgll/1999.1/").status_code == 404


def test_compare_shows_what_changed_between_versions(client, version, tmp_path):
    newer = framework_data(version="2026.1")
    newer["measures"][0]["domains"][0]["question"] = "Reworded?"
    newer["measures"][0]["domains"][0]["comparable_since"] = "2026.1"
    newer["measures"][1]["domains"].append(
        {**newer["measures"][1]["domains"][0], "id": "cloud", "name": "Cloud"}
    )
    load(tmp_path, newer, "newer.yaml")
    page = client.get("/frameworks/wgll/compare/?from=2025.1&to=2026.1").text
    assert "Cloud" in page and "Added in 2026.1" in page
    assert "Question changed from" in page
    assert "Not comparable with 2025.1" in page


def _member_of(ics, email):
    trust = Organisation.objects.create(
        ods_code=f"R{ics.ods_code}", name="A Trust", org_type="acute"
    )
    Membership.objects.create(organisation=trust, ics=ics, valid_from="2022-07-01")
    user = User.objects.create_user(email=email, full_name="A Person", password="x")
    Role.objects.create(user=user, name="contributor", organisation=trust)
    return user


def test_local_domain_shows_to_that_ics_members_only(client, version, tmp_path):
    qe1 = Organisation.objects.create(ods_code="QE1", name="Lancashire ICB", org_type="icb")
    other = Organisation.objects.create(ods_code="QF7", name="South Yorkshire ICB", org_type="icb")
    services.load(path=write(tmp_path, local_data(), "local.yaml"))
    url = "/frameworks/wgll/2025.1/domains/local-community-diagnostics/"

    assert client.get(url).status_code == 404
    assert "Local community diagnostics" not in client.get("/frameworks/wgll/2025.1/").text

    client.force_login(_member_of(other, "other@example.org"))
    assert client.get(url).status_code == 404

    client.force_login(_member_of(qe1, "member@example.org"))
    assert client.get(url).status_code == 200
    page = client.get("/frameworks/wgll/2025.1/measures/improve_care/").text
    assert "Local community diagnostics" in page and "Local to Lancashire ICB" in page
