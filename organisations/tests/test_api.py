import pytest

from accounts import tokens
from accounts.tests.factories import UserFactory
from organisations.tests.factories import IcbFactory, OrganisationFactory, TrustFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    """GET from the organisations API with a read-only token."""
    _, secret = tokens.create(user=UserFactory(), name="Analysis script", scope="read")

    def get(path="", **params):
        return client.get(
            f"/api/v1/organisations{path}", params, HTTP_AUTHORIZATION=f"Bearer {secret}"
        )

    return get


def codes(response):
    return [result["ods_code"] for result in response.json()["results"]]


def test_api_organisations_without_a_token_is_401(client):
    assert client.get("/api/v1/organisations").status_code == 401


def test_api_organisations_lists_open_ones_with_their_ics(api, nhs_structure):
    response = api()

    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["page"], body["pages"], len(body["results"])) == (238, 1, 5, 50)
    rgt = api(q="RGT").json()["results"][0]
    assert rgt == {
        "ods_code": "RGT",
        "name": "Cambridge University Hospitals NHS Foundation Trust",
        "type": "acute",
        "type_name": "Acute trust",
        "region": "East of England",
        "care_settings": ["acute"],
        "ics": {"ods_code": "S1Y5D", "name": "NHS Central East Integrated Care Board"},
        "opened_on": "1993-04-01",
        "closed_on": None,
    }


def test_api_organisations_filters(api, nhs_structure):
    essex_acute = api(type="acute", ics="D7T5G", region="East of England")
    closed = api(q="tavistock", include_closed="true")

    assert codes(essex_acute) == ["RDE", "RAJ", "RQW"]
    assert codes(api(q="tavistock")) == []
    assert codes(closed) == ["RNK"]
    assert closed.json()["results"][0]["ics"]["ods_code"] == "QMJ"


def test_api_organisations_paginates(api):
    icb = IcbFactory(name="NHS Paging ICB")
    for number in range(5):
        TrustFactory(name=f"Paging Trust {number}", membership__ics=icb)

    everything = api(q="paging trust", page_size=200).json()
    last_page = api(q="paging trust", page_size=2, page=3).json()

    assert (last_page["count"], last_page["page"], last_page["pages"]) == (5, 3, 3)
    assert last_page["results"] == everything["results"][4:]
    assert last_page["results"][0]["name"] == "Paging Trust 4"


def test_api_organisations_page_beyond_the_last_is_404(api):
    OrganisationFactory()

    response = api(page=2)

    assert response.status_code == 404
    assert response.json() == {"detail": "Page 2 does not exist: there are 1 pages of results."}


@pytest.mark.parametrize("params", [{"page_size": 201}, {"page": 0}, {"type": "castle"}])
def test_api_organisations_refuses_bad_parameters(api, params):
    response = api(**params)

    assert response.status_code == 422
    assert "in the query string" in response.json()["detail"]


def test_api_organisation_by_code_has_its_history(api, nhs_structure):
    response = api("/raj")

    assert response.status_code == 200
    body = response.json()
    assert body["ods_code"] == "RAJ"
    assert body["ics"] == {"ods_code": "D7T5G", "name": "NHS Essex Integrated Care Board"}
    assert body["memberships"] == [
        {
            "ics": {"ods_code": "QH8", "name": "NHS Mid and South Essex Integrated Care Board"},
            "valid_from": "2022-07-01",
            "valid_to": "2026-03-31",
        },
        {
            "ics": {"ods_code": "D7T5G", "name": "NHS Essex Integrated Care Board"},
            "valid_from": "2026-04-01",
            "valid_to": None,
        },
    ]


def test_api_organisation_for_an_ics_names_its_predecessors(api, nhs_structure):
    essex = api("/D7T5G").json()
    frimley = api("/QNQ").json()

    assert [(p["ods_code"], p["type"]) for p in essex["predecessors"]] == [
        ("QM7", "split"),
        ("QH8", "merger"),
        ("QJG", "split"),
    ]
    assert {s["ods_code"] for s in frimley["successors"]} == {"S0E4D", "S9B9J", "QRL"}
    assert frimley["closed_on"] == "2026-03-31"


def test_api_organisation_unknown_code_is_404(api):
    response = api("/XYZ")

    assert response.status_code == 404
    assert response.json() == {"detail": "No organisation with ODS code XYZ"}


def test_api_organisations_declares_its_responses(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    one = paths["/api/v1/organisations/{ods_code}"]["get"]["responses"]
    listing = paths["/api/v1/organisations"]["get"]["responses"]
    assert {"200", "404"} <= one.keys()
    assert {"200", "404"} <= listing.keys()
