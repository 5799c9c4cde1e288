"""The issue's checks on the demo data: NHS England's 2025 scores, the
synthetic 2025/26 self-assessment for Lancashire and South Cumbria, the 2026
mergers and the published bed and similar-trust files."""

import html

import pytest

from accounts import tokens
from accounts.tests.factories import UserFactory
from assessments.workflow import AssessmentStatus
from benchmarking.models import PeerStatistic
from benchmarking.tests.test_pages import rows_of, text_of
from northstar import demo
from organisations.models import Organisation, OrganisationType

pytestmark = pytest.mark.django_db
SELF_ASSESSED = "2025%2F26"


@pytest.fixture
def demo_data(client, django_capture_on_commit_callbacks):
    demo.load_reference_data(lambda line: None)
    with django_capture_on_commit_callbacks(execute=True):  # the peer figures follow
        demo.create_demo_content(lambda line: None)
    client.force_login(UserFactory())
    return client


def api(client, path, **params):
    _, secret = tokens.create(user=UserFactory(), name="Analysis", scope="read")
    return client.get(f"/api/v1/benchmarks{path}", params, HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_the_demo_ics_and_a_trust_with_two_peers_are_too_few_to_rank(demo_data):
    client = demo_data
    # The demo ICS is the only ICS self-assessed in 2025/26: alone in its sector.
    page = text_of(client.get(f"/benchmarks/organisations/QE1/?round={SELF_ASSESSED}&group=sector"))
    assert "Too few to rank (1 organisation)" in page and "% of peers" not in page
    body = api(client, "/organisations/QE1", round="2025/26", group="sector").json()
    assert all((m["n"], m["ranked"], m["percentile"]) == (1, False, None) for m in body["measures"])
    head, *rows = rows_of(
        client.get(
            f"/benchmarks/organisations/QE1/?round={SELF_ASSESSED}&group=sector&download=measures"
        )
    )
    assert {(r[head.index("ranked")], r[head.index("percentile")]) for r in rows} == {("no", "")}
    # A trust whose sector that round is itself and two peers.
    statistic = PeerStatistic.objects.filter(
        round__name="2025/26", group_type="sector", peers=3
    ).first()
    assert statistic is not None
    org_type, _, care_setting = statistic.group_key.partition(":")
    trust = Organisation.objects.filter(
        org_type=org_type,
        assessments__round__name="2025/26",
        assessments__care_setting=care_setting,
        assessments__status=AssessmentStatus.PUBLISHED,
    ).first()
    query = f"?round={SELF_ASSESSED}&group=sector&care_setting={care_setting}"
    page = text_of(client.get(f"/benchmarks/organisations/{trust.ods_code}/{query}"))
    assert "Too few to rank (3 organisations)" in page and "% of peers" not in page
    well_led = api(
        client,
        f"/organisations/{trust.ods_code}",
        round="2025/26",
        group="sector",
        care_setting=care_setting,
    ).json()["measures"][0]
    assert (well_led["n"], well_led["ranked"], well_led["quartile"]) == (3, False, None)
    assert len(well_led["spread"]["values"]) == 3
    # The ICS page tags members with their national quarter only where that is rankable.
    page = text_of(client.get(f"/benchmarks/ics/QE1/?round={SELF_ASSESSED}"))
    assert "Members with a score" in page


def test_a_demo_trust_s_trend_marks_the_change_of_source(demo_data):
    client = demo_data
    page = html.unescape(
        text_of(client.get(f"/benchmarks/organisations/RXN/?round={SELF_ASSESSED}"))
    )
    assert "This trend mixes two sources" in page
    points = api(client, "/organisations/RXN/trend", care_setting="acute").json()
    by_name = {p["round"]["name"]: p for p in points}
    assert by_name["2025/26"]["compared_with"] is None  # not NHS England's 2025, same period
    assert by_name["2025 (NHS England)"]["compared_with"]["name"] == "2024 (NHS England)"


def test_the_merged_ics_shows_a_reconstructed_2025_baseline_and_a_trend_across_the_merger(
    demo_data,
):
    page = html.unescape(text_of(demo_data.get("/benchmarks/ics/S1Y5D/?round=2025+(NHS+England)")))
    assert "Reconstructed from the members of today's ICS." in page
    assert "No members when" not in page
    for predecessor in ("QHG", "QUE", "QM7"):
        assert Organisation.objects.get(ods_code=predecessor).name in page
    assert (
        "Before NHS Central East Integrated Care Board was formed, the members are today's" in page
    )


def test_every_demo_acute_trust_has_ten_similar_organisations_and_ambulance_trusts_fall_back(
    demo_data,
):
    client = demo_data
    acute = Organisation.objects.filter(org_type=OrganisationType.ACUTE, closed_on__isnull=True)
    for trust in acute:
        assert trust.similar_organisations.count() == 10, trust.ods_code
    response = client.get("/benchmarks/organisations/RXN/?group=similar")
    page = html.unescape(text_of(response))
    assert "Its similar organisations" in page
    assert (
        page.count("On its published list of similar trusts") + page.count("Among the nearest")
        == 10
    )
    assert "NHS Trust Peer Finder Tool" in page and "General and acute beds" in page
    page = html.unescape(text_of(client.get("/benchmarks/organisations/RX7/?group=similar")))
    assert (
        "Northstar holds no published size or list of similar organisations for ambulance trusts, "
        "so North West Ambulance Service NHS Trust is compared with its sector instead" in page
    )
    page = html.unescape(text_of(client.get("/benchmarks/organisations/QE1/?group=similar")))
    assert "no published size or list of similar organisations for integrated care boards" in page
    body = api(client, "/organisations/RX7", group="similar").json()
    assert body["compared_with_group"] == "sector" and "ambulance trusts" in body["fallback_reason"]
