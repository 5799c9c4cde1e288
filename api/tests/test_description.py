"""Each difference schemathesis once found between the API and its OpenAPI
description, as a test of its own."""

import pytest

from accounts import tokens
from accounts.models import RoleName
from accounts.tests.factories import RoleFactory
from assessments.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(client):
    return client.get("/api/v1/openapi.json").json()


def bearer(user, scope="write"):
    _, secret = tokens.create(user=user, name="test", scope=scope)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def reader():
    return bearer(RoleFactory(name=RoleName.NATIONAL_ANALYST).user, "read")


def error_schema(document, path, method, status):
    response = document["paths"][path][method]["responses"][str(status)]
    return response["content"]["application/json"]["schema"]


def test_every_operation_documents_every_error_it_can_give_in_the_one_shape(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            statuses = set(operation["responses"])
            assert "401" in statuses, (method, path)
            if operation.get("parameters") or "requestBody" in operation:
                assert "422" in statuses, (method, path)
            if "{" in path:
                assert "404" in statuses, (method, path)
            if method != "get":
                assert "403" in statuses, (method, path)
            if "requestBody" in operation:
                assert "400" in statuses, (method, path)
            for status in statuses - {"200", "201"}:
                schema = error_schema(document, path, method, status)
                name = schema["$ref"].rsplit("/", 1)[1]
                assert "detail" in document["components"]["schemas"][name]["required"]


def test_the_one_error_shape_has_a_detail_string_and_a_list_of_errors(document):
    error = document["components"]["schemas"]["Error"]
    assert error["required"] == ["detail"]
    assert error["properties"]["detail"]["type"] == "string"
    assert error["properties"]["errors"]["items"]["type"] == "string"


def test_a_bad_page_is_a_documented_422_with_detail_in_words_and_each_error(
    client, document, reader
):
    response = client.get("/api/v1/organisations", {"page": "0"}, **reader)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == (
        "Check your request and send it again. "
        "page in the query string: Input should be greater than or equal to 1."
    )
    assert body["errors"] == [
        "page in the query string: Input should be greater than or equal to 1"
    ]
    assert "422" in document["paths"]["/api/v1/organisations"]["get"]["responses"]


def test_csv_is_described_as_csv(client, document, reader):
    described = document["paths"]["/api/v1/learning/export.csv"]["get"]["responses"]["200"]
    assert list(described["content"]) == ["text/csv"]
    response = client.get("/api/v1/learning/export.csv", **reader)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")


@pytest.mark.parametrize(
    "address", ["/api/v1/foo%0Abar", "/api/v1/me/%0A", "/api/v1/", "/api/v1/a%0D%0Ab/c"]
)
def test_any_address_under_the_api_is_a_json_404(client, address):
    response = client.get(address)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"].startswith("There is no API endpoint at /api/v1/")


def test_an_unreadable_body_is_a_documented_400_in_the_one_shape(client, document):
    headers = bearer(RoleFactory(name=RoleName.PLATFORM_ADMIN).user)
    response = client.post(
        "/api/v1/frameworks", "{not json", content_type="application/json", **headers
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "The request body is not valid JSON. Send a JSON object, as the API reference shows."
    }
    assert error_schema(document, "/api/v1/frameworks", "post", 400) == {
        "$ref": "#/components/schemas/Error"
    }


def test_a_refused_framework_lists_every_error(client):
    headers = bearer(RoleFactory(name=RoleName.PLATFORM_ADMIN).user)
    response = client.post(
        "/api/v1/frameworks", {"content": "title: x"}, content_type="application/json", **headers
    )
    assert response.status_code == 400
    assert response.json()["errors"]


def test_the_steps_are_an_enum_and_an_empty_step_is_a_422(client, document):
    world = factories.build_world()
    step = document["components"]["schemas"]["StepIn"]["properties"]["step"]
    assert step["enum"] == ["submit", "approve", "validate", "publish", "send_back"]
    response = client.post(
        "/api/v1/assessments/2026-27/RTEST/acute/steps",
        {"step": ""},
        content_type="application/json",
        **bearer(world.contributor),
    )
    assert response.status_code == 422
    assert response.json()["detail"].startswith(
        "Check your request and send it again. step in the request body: Input should be 'submit', "
    )


def test_no_two_schemas_share_a_name(client):
    from api.api import api

    models = {}
    for router in api._routers:
        for path_view in router[1].path_operations.values():
            for operation in path_view.operations:
                for model in operation.response_models.values():
                    for found in _models(model):
                        models.setdefault(found.__name__, set()).add(found)
    assert {name: found for name, found in models.items() if len(found) > 1} == {}


def _models(model):
    fields = getattr(model, "model_fields", None)
    if fields is None:
        return
    if model.__name__ != "NinjaResponseSchema":  # ninja's wrapper, never in the document
        yield model
    for field in fields.values():
        for argument in [field.annotation, *getattr(field.annotation, "__args__", ())]:
            for inner in [argument, *getattr(argument, "__args__", ())]:
                if isinstance(inner, type) and hasattr(inner, "model_fields"):
                    yield from _models(inner)


def test_the_reference_page_shows_every_operation_and_schema_of_the_description(client, document):
    page = client.get("/api/v1/docs").content.decode()
    for operations in document["paths"].values():
        for operation in operations.values():
            assert f'id="{operation["operationId"]}"' in page
    for name in document["components"]["schemas"]:
        assert f'id="schema-{name}"' in page
    assert '<html lang="en">' in page
    assert page.count("<script") == page.count('<script type="module" src="/static/')


def test_a_method_an_endpoint_does_not_have_is_a_json_405_naming_the_ones_it_has(client, reader):
    response = client.patch("/api/v1/me", **reader)
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert response.json() == {"detail": "PATCH is not allowed at /api/v1/me: use GET."}


@pytest.mark.parametrize(
    ("schema", "field"),
    [
        ("EntryIn", "title"),
        ("UpdateIn", "title"),
        ("UpdateIn", "body"),
        ("PerspectiveIn", "body"),
        ("LoadIn", "content"),
    ],
)
def test_text_that_must_not_be_empty_is_described_so(document, schema, field):
    assert document["components"]["schemas"][schema]["properties"][field]["minLength"] == 1


@pytest.mark.parametrize(
    ("address", "body"),
    [
        ("/api/v1/learning/entries", {"kind": "blueprint", "title": "x", "show_org_type": 0}),
        ("/api/v1/assessments/2026-27/RTEST/acute/answers/epr", {"version": "0"}),
        ("/api/v1/assessments/2026-27/RTEST/acute/answers/epr", {"version": 0, "level": True}),
        ("/api/v1/assessments/2026-27/RTEST/acute/answers/epr", {"version": 0.5}),
    ],
)
def test_a_number_for_a_boolean_or_text_for_a_number_is_refused_as_described(client, address, body):
    world = factories.build_world()
    send = client.put if address.endswith("/epr") else client.post
    response = send(address, body, content_type="application/json", **bearer(world.contributor))
    assert response.status_code == 422, response.json()


def test_a_whole_number_written_with_a_point_is_a_whole_number(client):
    world = factories.build_world()
    response = client.put(
        "/api/v1/assessments/2026-27/RTEST/acute/answers/epr",
        {"version": 0.0, "elements_met": ["1a", "1b"]},
        content_type="application/json",
        **bearer(world.contributor),
    )
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 1


def test_limits_are_described_in_json_schema_words(document):
    def walk(node):
        if isinstance(node, dict):
            assert not {"ge", "le", "gt", "lt"} & set(node), node
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document)
