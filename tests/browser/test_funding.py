"""Funding in a browser, on the demo's synthetic funding file: the approver
records a year and a funding line through the forms, then the trust's page,
the forms, the ICS roll-up and a refusal are checked with axe; each page
also works without JavaScript, forms included."""

import pytest
from playwright.sync_api import expect

from funding.demo import create_demo_funding
from northstar import demo

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_world():
    demo.load_reference_data(lambda line: None)
    demo.create_demo_accounts()
    create_demo_funding()


def test_the_approver_records_funding_and_every_funding_page_passes_axe(
    live_server, page, sign_in, demo_world, assert_accessible
):
    sign_in(page, "approver@northstar.example", demo.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/organisations/RXN/")
    page.get_by_role("link", name="Who pays for what").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lancashire Teaching Hospitals")
    expect(page.locator("main")).to_contain_text("of total expenditure")
    expect(page.locator("main")).to_contain_text("5% benchmark")
    expect(page.locator("main")).to_contain_text("median of 6 organisations")
    assert page.locator("#share-chart-caption").count() == 1
    assert_accessible(page)

    page.get_by_role("link", name="Record a year's IT spend").click()
    assert_accessible(page)
    page.get_by_label("Financial year").fill("2027/28")
    page.get_by_label("Total expenditure").fill("1000")
    page.get_by_label("IT revenue spend").fill("900")
    page.get_by_label("IT capital spend").fill("200")
    page.get_by_role("button", name="Record the year").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("is above total expenditure")
    assert_accessible(page)
    page.get_by_label("Total expenditure").fill("980000000")
    page.get_by_label("IT revenue spend").fill("19600000")
    page.get_by_label("IT capital spend").fill("9800000")
    page.get_by_role("button", name="Record the year").click()
    expect(page.locator("main")).to_contain_text(
        "In 2027/28, IT spend was 3.0% of total expenditure"
    )

    page.get_by_role("link", name="add a funding line to 2027/28").click()
    assert_accessible(page)
    page.get_by_label("Where the money comes from").select_option("ics")
    page.get_by_label("Capital").check()
    page.get_by_label("Amount").fill("150000")
    page.get_by_role("button", name="Add the line").click()
    expect(page.locator("main")).to_contain_text("The integrated care system")
    assert_accessible(page)


def test_the_ics_lead_sees_the_roll_up_and_an_outsider_is_refused(
    live_server, page, sign_in, demo_world, assert_accessible
):
    sign_in(page, "ics-lead@northstar.example", demo.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/funding/ics/QE1/")
    expect(page.locator("main")).to_contain_text("5 of 5")
    assert_accessible(page)
    page.goto(f"{live_server.url}/funding/R0A/")
    expect(page.locator("main")).to_contain_text("Your roles do not let you see")
    assert_accessible(page)


def test_the_funding_pages_work_without_javascript(live_server, no_js_page, sign_in, demo_world):
    sign_in(no_js_page, "approver@northstar.example", demo.DEMO_PASSWORD)
    for path in (
        "/funding/RXN/",
        "/funding/RXN/?year=2022-23",
        "/funding/RXN/record/",
        "/funding/RXN/lines/add/",
    ):
        response = no_js_page.goto(live_server.url + path)
        assert response.status < 400, path
        assert no_js_page.locator("h1").count() == 1, path
    no_js_page.goto(f"{live_server.url}/funding/RXN/?year=2022-23")
    expect(no_js_page.locator("table").first).to_contain_text("2026/27")
    no_js_page.get_by_label("Financial year").select_option("2024-25")
    no_js_page.get_by_role("button", name="Show this year").click()
    expect(no_js_page.get_by_role("heading", name="Who paid in 2024/25")).to_be_visible()
