"""Every page in the URL configuration, found by walking it (so a page added
later is covered without editing this test), is checked with axe as a signed-in
platform admin, and loads without JavaScript."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from northstar import demo

pytestmark = pytest.mark.django_db(transaction=True)

# A sample value for each URL parameter; a new parameter must be added here.
SAMPLES = {
    "ods_code": "RXN",
    "slug": "wgll",
    "version": "2025.1",
    "measure": "improve_care",
    "domain": "epr",
    "token_id": "1",
    "uidb64": "MQ",
    "token": "set-password",
    "round": "2026-27",
    "care_setting": "acute",
    "number": "1",
    "entry": "demo-epr-go-live",
    "topic": "epr",
    "perspective_id": "1",
}
SAMPLES_BY_NAME = {
    "organisations:ics": {"ods_code": "QE1"},
    "benchmarking:ics": {"ods_code": "QE1"},
    "funding:ics": {"ods_code": "QE1"},
}
QUERY_BY_NAME = {"frameworks:compare": "?from=2025.1&to=2025.1"}
NOT_PAGES = ("admin/", "api/")


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), namespace + (pattern.name or "")


def every_page():
    pages = []
    for route, name in _walk(get_resolver().url_patterns):
        if route.startswith(NOT_PAGES):
            continue
        samples = {**SAMPLES, **SAMPLES_BY_NAME.get(name, {})}
        path = route
        while "<" in path:
            start, end = path.index("<"), path.index(">")
            parameter = path[start + 1 : end].split(":")[-1]
            assert parameter in samples, (
                f"add a sample value for URL parameter {parameter!r} ({name})"
            )
            path = path[:start] + samples[parameter] + path[end + 1 :]
        pages.append((name, "/" + path + QUERY_BY_NAME.get(name, "")))
    return pages


@pytest.fixture
def signed_in_admin(live_server, page, sign_in):
    demo.load_reference_data(lambda line: None)
    demo.create_demo_accounts()
    demo.create_demo_content(lambda line: None)
    sign_in(page, "admin@northstar.example", demo.DEMO_PASSWORD)
    return page


@pytest.mark.journey
def test_every_page_is_accessible(live_server, signed_in_admin, assert_accessible):
    checked = []
    for name, path in every_page():
        if name == "accounts:logout":
            continue  # visiting it is harmless, but keep the session for the pages after it
        if signed_in_admin.request.get(live_server.url + path).status == 405:
            continue  # a form's POST target, not a page
        response = signed_in_admin.goto(live_server.url + path)
        assert response.status < 400, f"{name} {path} answered {response.status}"
        assert_accessible(signed_in_admin)
        checked.append(name)
    assert len(checked) >= 15


def test_every_page_works_without_javascript(live_server, browser):
    demo.load_reference_data(lambda line: None)
    demo.create_demo_accounts()
    demo.create_demo_content(lambda line: None)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    for name, path in every_page():
        if page.request.get(live_server.url + path).status == 405:
            continue
        response = page.goto(live_server.url + path)
        assert response.status < 400, f"{name} {path} answered {response.status} without JavaScript"
        assert page.locator("h1").count() == 1, f"{name} has no single h1"
    context.close()
