import pytest

from accounts import tokens
from assessments.models import Answer
from assessments.tests.factories import answer, answer_everything
from assessments.workflow import AssessmentStatus

pytestmark = pytest.mark.django_db

BASE = "/api/v1/assessments/2026-27/RTEST/acute"


def as_(client, user, scope="write"):
    _, secret = tokens.create(user=user, name="test", scope=scope)
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return client


def test_read_an_assessment_and_its_answers(client, world):
    answer(world, "epr", ["1a", "1b"])
    api = as_(client, world.approver, scope="read")
    detail = api.get(BASE).json()
    assert (
        detail["status"] == AssessmentStatus.DRAFT
        and detail["answered"] == 1
        and detail["domains"] == 9
    )
    assert "Well led core has not been answered" in detail["problems"]
    epr = api.get(f"{BASE}/answers/epr").json()
    assert epr["version"] == 1 and epr["level"] == 1 and epr["elements_met"] == ["1a", "1b"]
    assert len(api.get(f"{BASE}/answers").json()) == 9
    assert [a["ods_code"] for a in api.get("/api/v1/assessments", {"round": "2026/27"}).json()] == [
        "RTEST"
    ]


def test_write_an_answer_with_its_version(client, world):
    api = as_(client, world.contributor)
    response = api.put(
        f"{BASE}/answers/epr",
        {"version": 0, "elements_met": ["1a", "1b", "2a", "2b"], "comment": "By API"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["level"] == 2 and response.json()["version"] == 1


def test_stale_write_is_409_with_both_values(client, world):
    answer(world, "epr", ["1a", "1b"], comment="Theirs")
    api = as_(client, world.contributor)
    response = api.put(
        f"{BASE}/answers/epr",
        {"version": 0, "elements_met": ["1a"]},
        content_type="application/json",
    )
    assert response.status_code == 409
    body = response.json()
    assert body["theirs"]["elements_met"] == ["1a", "1b"] and body["yours"]["elements_met"] == [
        "1a"
    ]
    assert body["version"] == 1 and body["changed_by"] == "Casey Contributor"
    assert Answer.objects.get().comment == "Theirs"


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"version": 0, "elements_met": ["9z"]}, "9z is not an element of Epr"),
        ({"version": 0, "elements_met": ["1a", "1b"], "level": 3}, "Level 3 was claimed"),
        (
            {"version": 0, "not_applicable": True, "not_applicable_reason": "x"},
            "cannot be answered as not applicable",
        ),
        ({"version": 0, "evidence": [7]}, "No evidence numbered 7"),
    ],
)
def test_bad_answers_are_400(client, world, payload, message):
    response = as_(client, world.contributor).put(
        f"{BASE}/answers/epr", payload, content_type="application/json"
    )
    assert response.status_code == 400 and message in response.json()["detail"]
    assert not Answer.objects.exists()


def test_version_not_a_number_is_422(client, world):
    response = as_(client, world.contributor).put(
        f"{BASE}/answers/epr", {"version": "two"}, content_type="application/json"
    )
    assert response.status_code == 422


def test_read_only_token_cannot_write(client, world):
    response = as_(client, world.contributor, scope="read").put(
        f"{BASE}/answers/epr", {"version": 0}, content_type="application/json"
    )
    assert response.status_code == 403


def test_history_through_the_api(client, world):
    answer(world, "epr", ["1a"])
    answer(world, "epr", ["1a", "1b"], version=1)
    history = as_(client, world.ics_lead, scope="read").get(f"{BASE}/answers/epr/history").json()
    assert [r["elements_met"] for r in history] == [["1a"], ["1a", "1b"]]


def test_workflow_steps_through_the_api(client, world):
    answer_everything(world)
    submitted = as_(client, world.contributor).post(
        f"{BASE}/steps", {"step": "submit"}, content_type="application/json"
    )
    assert submitted.status_code == 200 and submitted.json()["status"] == AssessmentStatus.SUBMITTED
    refused = as_(client, world.contributor).post(
        f"{BASE}/steps", {"step": "approve"}, content_type="application/json"
    )
    assert refused.status_code == 403
    approved = as_(client, world.approver).post(
        f"{BASE}/steps", {"step": "approve"}, content_type="application/json"
    )
    assert approved.json()["status"] == AssessmentStatus.APPROVED


def test_submit_refused_lists_problems(client, world):
    response = as_(client, world.contributor).post(
        f"{BASE}/steps", {"step": "submit"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "Epr has not been answered" in response.json()["problems"]


def test_other_organisations_assessment_is_404(client, world):
    from accounts.models import RoleName
    from assessments.tests.factories import person
    from organisations.tests.factories import OrganisationFactory

    outsider = person(RoleName.CONTRIBUTOR, OrganisationFactory())
    assert as_(client, outsider).get(BASE).status_code == 404
