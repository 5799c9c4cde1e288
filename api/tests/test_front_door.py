import json

import pytest
from django.http import Http404

from accounts import tokens
from accounts.models import RoleName
from accounts.policy import Permission, require_permission
from accounts.tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db

AUTHENTICATION_HELP = (
    "Send a valid personal access token in the Authorization header as 'Bearer <token>'. "
    "Create one on your account page at /accounts/account/."
)


@pytest.fixture
def user():
    return RoleFactory(name=RoleName.CONTRIBUTOR, user__email="asha@nhs.net").user


def token_for(user, scope):
    api_token, secret = tokens.create(user=user, name=f"{scope} script", scope=scope)
    return api_token, {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_api_without_a_token_is_401_json_saying_how_to_get_one(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": AUTHENTICATION_HELP}
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer garbage", "Bearer ns_garbage", "Token ns_x", "Bearer "])
def test_api_garbage_token_is_401(client, user, header):
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json() == {"detail": AUTHENTICATION_HELP}


def test_api_revoked_token_is_401(client, user):
    api_token, auth = token_for(user, "read")
    tokens.revoke(api_token=api_token, by=user)
    assert client.get("/api/v1/me", **auth).status_code == 401


def test_api_token_of_a_deactivated_person_is_401(client, user):
    _, auth = token_for(user, "write")
    user.is_active = False
    user.save()
    assert client.get("/api/v1/me", **auth).status_code == 401


def test_me_says_who_i_am_my_roles_and_the_token_in_use(client, user):
    api_token, auth = token_for(user, "read")
    body = client.get("/api/v1/me", **auth).json()
    assert body["email"] == "asha@nhs.net"
    [role] = body["roles"]
    assert role["role"] == "contributor" and role["role_name"] == "Contributor"
    assert set(role["organisation"]) == {"ods_code", "name"}
    assert body["token"]["id"] == api_token.id and body["token"]["scope"] == "read"


def test_me_national_role_has_no_organisation(client):
    _, auth = token_for(RoleFactory(name=RoleName.NATIONAL_ANALYST).user, "read")
    assert client.get("/api/v1/me", **auth).json()["roles"][0]["organisation"] is None


def test_my_tokens_lists_only_mine_without_secrets(client, user):
    _, auth = token_for(user, "read")
    token_for(UserFactory(), "read")
    response = client.get("/api/v1/me/tokens", **auth)
    assert [t["name"] for t in response.json()] == ["read script"]
    assert "ns_" not in json.dumps(
        [{k: v for k, v in t.items() if k != "prefix"} for t in response.json()]
    )
    assert "token_hash" not in response.text


def test_revoke_with_a_read_only_token_is_403_and_changes_nothing(client, user):
    api_token, auth = token_for(user, "read")
    response = client.delete(f"/api/v1/me/tokens/{api_token.id}", **auth)
    assert response.status_code == 403
    assert response.json()["detail"].startswith("This token is read-only")
    api_token.refresh_from_db()
    assert api_token.is_active


def test_revoke_with_a_read_and_write_token_revokes_my_token(client, user):
    reader, _ = token_for(user, "read")
    _, auth = token_for(user, "write")
    response = client.delete(f"/api/v1/me/tokens/{reader.id}", **auth)
    assert response.status_code == 200
    assert response.json()["active"] is False and response.json()["revoked_at"]
    reader.refresh_from_db()
    assert not reader.is_active


def test_revoke_someone_elses_token_is_404_and_changes_nothing(client, user):
    theirs, _ = token_for(UserFactory(), "write")
    _, auth = token_for(user, "write")
    response = client.delete(f"/api/v1/me/tokens/{theirs.id}", **auth)
    assert response.status_code == 404
    assert response.json() == {"detail": f"You have no token with id {theirs.id}."}
    theirs.refresh_from_db()
    assert theirs.is_active


def test_revoke_with_a_bad_id_is_422_naming_the_field(client, user):
    _, auth = token_for(user, "write")
    response = client.delete("/api/v1/me/tokens/first", **auth)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"].startswith(
        "Check your request and send it again. token_id in the address:"
    )
    [problem] = body["errors"]
    assert problem.startswith("token_id in the address:") and "valid integer" in problem


def test_api_unexpected_error_is_500_json_without_internals(client, user, monkeypatch, caplog):
    def broken(user):
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr("accounts.api.queries.tokens_of", broken)
    _, auth = token_for(user, "read")
    response = client.get("/api/v1/me/tokens", **auth)
    assert response.status_code == 500
    body = response.json()
    assert body["detail"].startswith("Something went wrong on our side.")
    assert body["reference"] in body["detail"]
    assert "hunter2" not in response.text and "RuntimeError" not in response.text
    assert body["reference"] in caplog.text


def test_openapi_document_is_openapi_3_with_paths_and_bearer_security(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Northstar API" and document["info"]["version"]
    assert {"/api/v1/me", "/api/v1/me/tokens", "/api/v1/me/tokens/{token_id}"} <= set(
        document["paths"]
    )
    schemes = document["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"}.items() <= next(iter(schemes.values())).items()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert operation["security"] == [{name: []} for name in schemes], (method, path)
    assert "401" in document["paths"]["/api/v1/me"]["get"]["responses"]


def test_openapi_document_references_resolve(client):
    document = client.get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]
    references = [ref for ref in _refs(document) if ref.startswith("#/components/schemas/")]
    assert references
    assert all(ref.rsplit("/", 1)[1] in schemas for ref in references)


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_api_unknown_endpoint_is_404_json_pointing_to_the_docs(client):
    response = client.delete("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {
        "detail": "There is no API endpoint at /api/v1/no-such-thing. "
        "The endpoints are listed at /api/v1/docs and /api/v1/openapi.json."
    }


def test_api_not_found_from_get_object_or_404_does_not_name_the_model(client, user, monkeypatch):
    def missing(user):
        raise Http404("No ApiToken matches the given query.")

    monkeypatch.setattr("accounts.api.queries.tokens_of", missing)
    _, auth = token_for(user, "read")
    response = client.get("/api/v1/me/tokens", **auth)
    assert response.status_code == 404
    assert response.json() == {
        "detail": "Nothing was found at /api/v1/me/tokens. Check the address and any ids in it."
    }


def test_api_permission_denied_is_403_json_with_the_reason(client, user, monkeypatch):
    def refuse(user):
        require_permission(user, Permission.VIEW_NATIONAL_DATA)

    monkeypatch.setattr("accounts.api.queries.tokens_of", refuse)
    _, auth = token_for(user, "read")
    response = client.get("/api/v1/me/tokens", **auth)
    assert response.status_code == 403
    assert response.json()["detail"].startswith("Your roles do not let you see national data.")


def test_api_docs_page_loads_its_scripts_from_this_site(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert "cdn." not in response.text


def test_openapi_document_passes_the_openapi_3_validator(client):
    from openapi_spec_validator import validate

    validate(client.get("/api/v1/openapi.json").json())
