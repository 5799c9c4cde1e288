import pytest

from accounts import tokens
from accounts.tests.factories import UserFactory
from assessments.workflow import AssessmentStatus
from benchmarking import calculation
from benchmarking.tests.conftest import member_of
from northstar import demo
from organisations.tests.factories import TrustFactory
from scoring.models import OverallScore

pytestmark = pytest.mark.django_db


@pytest.fixture
def get(client):
    """GET from the benchmarks API with a read-only token, as ``user`` if given."""

    def do(path, user=None, **params):
        _, secret = tokens.create(user=user or UserFactory(), name="Analysis", scope="read")
        return client.get(
            f"/api/v1/benchmarks{path}", params, HTTP_AUTHORIZATION=f"Bearer {secret}"
        )

    return do


def test_benchmarks_api_needs_a_token(client, small_round):
    assert client.get("/api/v1/benchmarks/organisations/RBB").status_code == 401


def test_rounds_are_listed_newest_first(get, small_round):
    assert get("/rounds").json() == [
        {
            "name": "2025 (test)",
            "kind": "published",
            "opens_on": "2025-04-01",
            "structure_on": "2025-04-01",
            "has_published": True,
        }
    ]


def test_organisation_benchmark_has_scores_and_peer_figures(get, small_round):
    response = get("/organisations/rbb", group="sector")
    body = response.json()
    assert response.status_code == 200
    assert body["organisation"] == {"ods_code": "RBB", "name": "Trust RBB"}
    assert (body["round"]["name"], body["care_setting"], body["group"]) == (
        "2025 (test)",
        "acute",
        "sector",
    )
    assert body["group_rule"].startswith("Organisations of the same type")
    assert body["published"] is True and body["comparable_overall_score"] == 2.5
    well_led = body["measures"][0]
    assert well_led["key"] == "well_led" and well_led["score"] == pytest.approx(2.1)
    assert well_led["quartile"] == 2 and well_led["percentile"] == pytest.approx(40)
    assert well_led["n"] == 6 and well_led["ranked"] is True
    assert well_led["spread"]["peers"] == 6 and well_led["spread"]["median"] == pytest.approx(2.6)
    assert (well_led["scored_domains"], well_led["applicable_domains"]) == (2, 3)
    assert len(body["measures"]) == 7


def test_with_no_similar_organisations_the_sector_is_used_and_said(get, small_round):
    body = get("/organisations/RBB", group="similar").json()
    assert (body["group"], body["compared_with_group"]) == ("similar", "sector")
    assert "compared with its sector instead" in body["fallback_reason"]
    assert all(m["n"] == 6 for m in body["measures"])


def test_a_group_of_fewer_than_five_is_not_ranked_in_the_api(get, small_round):
    well_led = get("/organisations/RBB", group="ics").json()["measures"][0]
    assert (well_led["n"], well_led["ranked"]) == (4, False)
    assert well_led["percentile"] is None and well_led["quartile"] is None
    spread = well_led["spread"]
    assert spread["ranked"] is False and spread["peers"] == 4
    assert (spread["lower_quartile"], spread["median"], spread["upper_quartile"]) == (None,) * 3
    assert spread["values"] == pytest.approx([1.1, 2.1, 2.6, 3.1])


@pytest.mark.parametrize(
    ("path", "params", "message"),
    [
        ("/organisations/ZZZ", {}, "No organisation with ODS code ZZZ"),
        ("/organisations/RBB", {"round": "1999"}, "There is no round called '1999'"),
        (
            "/organisations/RBB",
            {"care_setting": "ambulance"},
            "Trust RBB has no published assessment for care setting ambulance in 2025 (test).",
        ),
    ],
)
def test_unknown_things_are_404_with_a_message(get, small_round, path, params, message):
    response = get(path, **params)
    assert response.status_code == 404
    assert message in response.json()["detail"]


def test_unpublished_scores_only_for_the_organisation(get, small_round):
    assessment = small_round.assessment("RBB")
    assessment.status = AssessmentStatus.VALIDATED
    assessment.save()
    calculation.recompute_round(small_round.round)

    assert get("/organisations/RBB").status_code == 404
    body = get("/organisations/RBB", user=member_of(small_round.trusts["RBB"])).json()
    assert body["published"] is False
    assert body["measures"][0]["percentile"] == pytest.approx(40)


def test_every_status_has_a_schema(client):
    spec = client.get("/api/v1/openapi.json").json()
    operation = spec["paths"]["/api/v1/benchmarks/organisations/{ods_code}"]["get"]
    assert set(operation["responses"]) == {"200", "401", "404", "422"}


def test_an_unknown_peer_group_is_422_naming_the_groups(get, small_round):
    response = get("/organisations/RBB", group="friends")
    assert response.status_code == 422
    assert "group in the query string" in response.json()["detail"]
    assert "'national'" in response.json()["detail"]


def test_before_anything_is_published_the_default_round_is_404(get):
    TrustFactory(ods_code="RZZ")
    response = get("/organisations/RZZ")
    assert response.status_code == 404
    assert response.json()["detail"] == "No round has published assessments yet."


def test_an_assessed_rounds_overall_score_is_the_stored_one(get):
    demo.load_reference_data(lambda line: None)
    demo.create_demo_content(lambda line: None)
    body = get("/organisations/RXN", round="2025/26").json()
    stored = OverallScore.objects.get(
        assessment__round__name="2025/26", assessment__organisation__ods_code="RXN"
    )
    assert body["overall_score"] == pytest.approx(stored.score)
    assert body["mean_of_measures"] == pytest.approx(stored.mean_of_measures)


def test_the_trend_names_each_change_s_round_and_source(get, mixed_sources):
    points = get("/organisations/RBB/trend", care_setting="acute").json()
    assert [p["round"]["name"] for p in points] == ["2025 (test)", "2025/26", "2026/27"]
    assert [p["round"]["source"] for p in points] == [
        "published by NHS England",
        "self-assessed in Northstar",
        "self-assessed in Northstar",
    ]
    assert points[1]["compared_with"] is None  # the same period as NHS England's 2025
    assert points[2]["compared_with"]["name"] == "2025/26"
    assert points[2]["overall_change"] == pytest.approx(1.0)
    assert points[2]["source_changed"] is False
    body = get("/organisations/RBB", round="2026/27").json()
    assert body["previous_round"]["name"] == "2025/26"
    assert body["previous_round"]["source"] == "self-assessed in Northstar"
    assert body["measures"][0]["change"] == pytest.approx(1.0)
    body = get("/organisations/RBB", round="2025/26").json()
    assert body["previous_round"] is None and body["measures"][0]["change"] is None
