import pytest
from django.core.management import call_command

from accounts import tokens
from accounts.models import RoleName
from learning import services
from learning.models import Entry, Perspective
from learning.tests.conftest import person, published
from organisations.tests.factories import TrustFactory

pytestmark = pytest.mark.django_db


def bearer(user, scope="read"):
    _, secret = tokens.create(user=user, name="test", scope=scope)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def entry(measures, trust, writer, moderator):
    return published(writer, trust, moderator, anonymous=True)


def test_entries_list_and_search_hold_anonymity(client, entry, writer, trust):
    services.post_update(entry=entry, by=writer, title="Month 2", body="The pharmacy slipped.")
    headers = bearer(person(RoleName.NATIONAL_ANALYST))

    listed = client.get("/api/v1/learning/entries", **headers).json()
    found = client.get("/api/v1/learning/entries?q=pharmacy", **headers).json()

    assert listed["count"] == 1
    record = listed["results"][0]
    assert record["author"] == "An NHS organisation"
    assert record["organisation_ods_code"] == ""
    assert len(record["published"]) == 7  # YYYY-MM
    assert found["results"][0]["snippet"].count("pharmacy") == 1
    assert trust.name not in str(listed) + str(found)


@pytest.mark.parametrize("query", ["***", "\"'", "x" * 200])
def test_odd_api_searches_give_an_empty_result(client, entry, query):
    headers = bearer(person(RoleName.NATIONAL_ANALYST))

    response = client.get("/api/v1/learning/entries", {"q": query}, **headers)

    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_entry_detail_with_updates_and_perspectives(client, entry, writer):
    services.post_update(entry=entry, by=writer, title="Month 2", body="Slipped.")
    headers = bearer(person(RoleName.NATIONAL_ANALYST))

    detail = client.get(f"/api/v1/learning/entries/{entry.reference}", **headers).json()

    assert detail["updates"][0]["title"] == "Month 2"
    assert detail["perspectives_missing"] == ["Patient or carer leader", "Clinician", "Staff"]
    assert client.get("/api/v1/learning/entries/missing", **headers).status_code == 404


def test_create_entry_needs_a_write_token_and_valid_content(client, measures, writer):
    assert (
        client.post(
            "/api/v1/learning/entries",
            {"kind": "redprint", "title": "x"},
            content_type="application/json",
            **bearer(writer),
        ).status_code
        == 403
    )
    headers = bearer(writer, "write")

    unknown = client.post(
        "/api/v1/learning/entries",
        {"kind": "redprint", "title": "Lessons", "topics": ["knitting"]},
        content_type="application/json",
        **headers,
    )
    no_title = client.post(
        "/api/v1/learning/entries",
        {"kind": "redprint", "title": ""},
        content_type="application/json",
        **headers,
    )
    created = client.post(
        "/api/v1/learning/entries",
        {"kind": "redprint", "title": "Lessons", "topics": ["epr"], "anonymous": True},
        content_type="application/json",
        **headers,
    )

    assert unknown.status_code == 400 and "knitting" in unknown.json()["detail"]
    assert no_title.status_code == 422
    assert no_title.json()["errors"] == [
        "title in the request body: String should have at least 1 character"
    ]
    assert created.status_code == 201
    assert created.json()["status"] == "draft" and created.json()["author"] == "An NHS organisation"
    assert Entry.objects.count() == 1


def test_a_patient_leader_adds_a_perspective_through_the_api(client, entry, trust):
    headers = bearer(person(RoleName.PATIENT_LEADER, trust), "write")

    response = client.post(
        f"/api/v1/learning/entries/{entry.reference}/perspectives",
        {"role": "patient_carer", "body": "Nobody asked carers."},
        content_type="application/json",
        **headers,
    )
    missing = client.post(
        "/api/v1/learning/entries/missing/perspectives",
        {"role": "patient_carer", "body": "x"},
        content_type="application/json",
        **headers,
    )

    assert response.status_code == 201
    assert Perspective.objects.get().status == "pending"
    assert missing.status_code == 404


def test_only_the_authors_post_updates(client, entry, writer):
    other = person(organisation=TrustFactory())
    refused = client.post(
        f"/api/v1/learning/entries/{entry.reference}/updates",
        {"title": "x", "body": "y"},
        content_type="application/json",
        **bearer(other, "write"),
    )
    posted = client.post(
        f"/api/v1/learning/entries/{entry.reference}/updates",
        {"title": "Month 4", "body": "Live."},
        content_type="application/json",
        **bearer(writer, "write"),
    )

    assert refused.status_code == 404
    assert posted.status_code == 201 and len(posted.json()["posted"]) == 7


def test_csv_export_through_the_api(client, entry):
    response = client.get(
        "/api/v1/learning/export.csv", **bearer(person(RoleName.NATIONAL_ANALYST))
    )

    assert response["Content-Type"].startswith("text/csv")
    rows = response.content.decode().splitlines()
    assert rows[0].startswith("reference,url,kind,title")
    assert "An NHS organisation" in rows[1]


def test_send_digests_command(capsys, measures, trust, writer):
    follower = person(organisation=trust)
    services.follow(by=follower, kind="topic", value="epr")
    published(writer, trust)

    call_command("send-digests")

    assert "Sent 1 digest email." in capsys.readouterr().out
