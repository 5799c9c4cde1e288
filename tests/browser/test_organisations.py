import pytest
from playwright.sync_api import expect

from organisations.tests.conftest import import_nhs_structure

pytestmark = pytest.mark.django_db(transaction=True)

ORGANISATION_PAGES = [
    "/organisations/",
    "/organisations/?q=essex&type=acute&include_closed=on",
    "/organisations/?q=zzz",
    "/organisations/?type=castle",
    "/organisations/?page=2",
    "/organisations/RGT/",
    "/organisations/RNK/",
    "/organisations/ics/D7T5G/",
    "/organisations/ics/QNQ/",
    "/organisations/ics/QH8/?on=2025-04-01",
    "/organisations/ics/QH8/?on=not-a-date",
]


@pytest.fixture
def nhs_structure():
    import_nhs_structure()


@pytest.mark.journey
def test_organisation_pages_are_accessible(live_server, nhs_structure, page, assert_accessible):
    for path in ORGANISATION_PAGES:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert_accessible(page)


def test_reader_filters_organisations_and_follows_an_ics_without_javascript(
    live_server, nhs_structure, no_js_page
):
    page = no_js_page
    page.goto(live_server.url + "/organisations/")
    page.get_by_label("Search by name or ODS code").fill("essex")
    page.get_by_label("Type").select_option("acute")
    page.get_by_label("Integrated care system (ICS)").select_option("D7T5G")
    page.get_by_role("button", name="Search").click()

    assert "type=acute" in page.url and "ics=D7T5G" in page.url
    expect(page.get_by_role("heading", level=2, name="2 organisations")).to_be_visible()
    page.get_by_role("link", name="NHS Essex Integrated Care Board").first.click()

    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading.endswith("NHS Essex Integrated Care Board")
    expect(page.get_by_text("was formed on 1 April 2026 from:")).to_be_visible()
    page.get_by_label("Show the members on another date").fill("2026-03-31")
    page.get_by_role("button", name="Show members").click()
    assert "on=2026-03-31" in page.url
    expect(page.get_by_text("No organisations were members of")).to_be_visible()
