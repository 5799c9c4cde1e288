from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from frameworks import services

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def framework():
    services.load(path=Path(settings.BASE_DIR) / "data" / "frameworks" / "wgll-2025.1.yaml")


FRAMEWORK_PAGES = [
    "/frameworks/versions/",
    "/frameworks/wgll/2025.1/",
    "/frameworks/wgll/2025.1/?care_setting=ambulance",
    "/frameworks/wgll/2025.1/measures/improve_care/",
    "/frameworks/wgll/2025.1/domains/epr/",
    "/frameworks/wgll/compare/?from=2025.1&to=2025.1",
]


def test_framework_pages_are_accessible(live_server, framework, page, assert_accessible):
    for path in FRAMEWORK_PAGES:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert_accessible(page)


def test_reader_browses_from_measure_to_domain_levels_without_javascript(
    live_server, framework, no_js_page
):
    page = no_js_page
    page.goto(live_server.url + "/frameworks/")
    expect(page.get_by_role("heading", level=1)).to_have_text("What Good Looks Like")
    page.get_by_label("Show domains for a care setting").select_option("ambulance")
    page.get_by_role("button", name="Show domains").click()
    assert "care_setting=ambulance" in page.url
    page.get_by_role("link", name="Improve care").click()
    page.get_by_role("link", name="Remote consultation").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Remote consultation")
    expect(page.get_by_role("heading", name="Level 5", exact=False)).to_have_count(1)
    page.screenshot(
        path=str(Path(settings.BASE_DIR) / "var" / "framework-domain.png"), full_page=True
    )
