import pytest
import yaml

from accounts import tokens
from accounts.models import Role, User
from frameworks.models import FrameworkVersion
from frameworks.tests.factories import framework_data, load

pytestmark = pytest.mark.django_db


def _token(scope="read", role=None):
    user = User.objects.create_user(
        email=f"{scope}-{role}@example.org", full_name="API User", password="x"
    )
    if role:
        Role.objects.create(user=user, name=role)
    return {"HTTP_AUTHORIZATION": f"Bearer {tokens.create(user=user, name='test', scope=scope)[1]}"}


def test_api_lists_framework_versions(client, tmp_path):
    load(tmp_path)
    response = client.get("/api/v1/frameworks", **_token())
    assert response.status_code == 200
    assert response.json()[0]["version"] == "2025.1"


def test_api_gives_one_version_as_a_full_tree(client, tmp_path):
    load(tmp_path)
    tree = client.get("/api/v1/frameworks/wgll/2025.1", **_token()).json()
    assert len(tree["measures"]) == 7
    epr = next(d for m in tree["measures"] for d in m["domains"] if d["id"] == "epr")
    assert [level["level"] for level in epr["levels"]] == [1, 2, 3, 4, 5]
    assert epr["levels"][2]["elements"][0] == {"id": "3a", "text": "epr level 3 element a"}
    assert tree["consistency_rules"][0]["requires_domain"] == "epr"
    assert len(tree["board_questions"]) == 8


def test_api_unknown_version_is_404(client, tmp_path):
    load(tmp_path)
    assert client.get("/api/v1/frameworks/wgll/1999.1", **_token()).status_code == 404


def test_api_loads_a_framework_for_a_platform_admin_with_a_write_token(client):
    content = yaml.safe_dump(framework_data())
    response = client.post(
        "/api/v1/frameworks",
        {"content": content},
        content_type="application/json",
        **_token("write", "platform_admin"),
    )
    assert response.status_code == 201, response.content
    assert response.json()["outcome"] == "created"
    assert FrameworkVersion.objects.count() == 1


def test_api_refuses_a_bad_framework_listing_every_fault(client):
    bad = framework_data()
    bad["measures"][0]["domains"][0]["weight"] = -1
    bad["board_questions"] = []
    response = client.post(
        "/api/v1/frameworks",
        {"content": yaml.safe_dump(bad)},
        content_type="application/json",
        **_token("write", "platform_admin"),
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "content: measures[0].domains[0].weight: must be greater than 0" in errors
    assert any(e.startswith("content: board_questions") for e in errors)
    assert FrameworkVersion.objects.count() == 0


def test_api_framework_load_needs_a_platform_admin(client):
    response = client.post(
        "/api/v1/frameworks",
        {"content": yaml.safe_dump(framework_data())},
        content_type="application/json",
        **_token("write", "national_analyst"),
    )
    assert response.status_code == 403
    assert FrameworkVersion.objects.count() == 0


def test_api_framework_load_refuses_a_read_only_token(client):
    response = client.post(
        "/api/v1/frameworks",
        {"content": yaml.safe_dump(framework_data())},
        content_type="application/json",
        **_token("read", "platform_admin"),
    )
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]
