"""Benchmark pages in a browser, on NHS England's published 2025 scores:
a demo trust against each peer group, one measure across its peers, its ICS
and the national page; axe on each, and each without JavaScript. Then an
answer changed and published, followed into the stored score and percentile."""

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD
from benchmarking.models import PeerGroup
from benchmarking.tests.workflow import OpenRound
from frameworks.tests.factories import load
from northstar import demo

pytestmark = pytest.mark.django_db(transaction=True)

MEASURES = [
    "Well led",
    "Ensure smart foundations",
    "Safe practice",
    "Support people",
    "Empower citizens",
    "Improve care",
    "Healthy populations",
]
PAGES = [
    "/benchmarks/organisations/RXN/",
    "/benchmarks/organisations/RXN/?group=ics",
    "/benchmarks/organisations/RXN/?group=similar",
    "/benchmarks/organisations/RXN/?round=2024+(NHS+England)",
    "/benchmarks/organisations/RXN/improve_care/?group=sector",
    "/benchmarks/ics/QE1/",
    "/benchmarks/ics/D7T5G/",
    "/benchmarks/ics/S1Y5D/?round=2025+(NHS+England)",
    "/benchmarks/organisations/RX7/?group=similar",
    "/benchmarks/organisations/QE1/?group=ics",
    "/benchmarks/national/",
]


@pytest.fixture
def published_2025():
    demo.load_reference_data(lambda line: None)
    demo.create_demo_accounts()


@pytest.fixture
def contributor(live_server, page, sign_in, published_2025):
    sign_in(page, "contributor@northstar.example", demo.DEMO_PASSWORD)
    return page


def given_i_open_my_trusts_benchmarks(page, live_server):
    page.goto(f"{live_server.url}/benchmarks/organisations/RXN/")


def when_i_compare_with(page, group):
    page.get_by_role("radio", name=group.label).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Show benchmarks").click()


def then_i_see_the_seven_measures_with_their_table(page):
    chart = page.locator(
        "svg[role=img]#measures-chart, svg[aria-describedby=measures-chart-caption]"
    )
    expect(chart).to_have_count(1)
    table = page.get_by_role("table").filter(has_text="The figures in the chart").first
    for measure in MEASURES:
        expect(table.get_by_role("link", name=measure)).to_be_visible()
        expect(chart.get_by_text(measure, exact=True)).to_have_count(1)


def test_a_trusts_benchmark_page_shows_the_seven_measures_against_each_peer_group(
    live_server, contributor
):
    page = contributor
    given_i_open_my_trusts_benchmarks(page, live_server)
    assert (
        page.get_by_role("heading", level=1)
        .inner_text()
        .endswith("Lancashire Teaching Hospitals NHS Foundation Trust")
    )
    assert page.get_by_text("2025 (NHS England): published by NHS England").count() >= 1
    for group in (PeerGroup.NATIONAL, PeerGroup.SECTOR, PeerGroup.ICS):
        when_i_compare_with(page, group)
        assert f"group={group.value}" in page.url
        then_i_see_the_seven_measures_with_their_table(page)
    when_i_compare_with(page, PeerGroup.SIMILAR)
    expect(page.get_by_role("heading", name="Its similar organisations")).to_be_visible()
    expect(page.get_by_text("On its published list of similar trusts").first).to_be_visible()


def test_a_measure_shows_where_the_trust_stands_among_its_peers(live_server, contributor):
    page = contributor
    given_i_open_my_trusts_benchmarks(page, live_server)
    page.get_by_role("link", name="Improve care").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile("Improve care across the peers$")
    )
    expect(page.locator("svg").get_by_text("You are here: 2.4")).to_have_count(1)
    page.get_by_text("Show the figures as a table").first.click()
    expect(
        page.get_by_role("cell", name="Lancashire Teaching Hospitals NHS Foundation Trust (you)")
    ).to_be_visible()


@pytest.mark.journey
def test_every_benchmark_page_is_accessible(live_server, contributor, assert_accessible):
    for path in PAGES:
        response = contributor.goto(live_server.url + path)
        assert response.status == 200, path
        assert_accessible(contributor)


def test_benchmarks_work_without_javascript(live_server, published_2025, no_js_page, sign_in):
    page = no_js_page
    sign_in(page, "analyst@northstar.example", demo.DEMO_PASSWORD)
    given_i_open_my_trusts_benchmarks(page, live_server)
    when_i_compare_with(page, PeerGroup.SECTOR)
    then_i_see_the_seven_measures_with_their_table(page)
    page.get_by_role(
        "link",
        name="NHS Lancashire and South Cumbria Integrated Care Board: its members side by side",
    ).click()
    expect(page.get_by_role("heading", name="Members side by side")).to_be_visible()
    page.get_by_label("Round").select_option("2024 (NHS England)")
    page.get_by_role("button", name="Show this round").click()
    # 2024 was published as overall scores only: members are listed, with no measure spread.
    assert "round=2024+%28NHS+England%29" in page.url
    expect(page.get_by_role("heading", name="Members side by side")).to_be_visible()
    expect(page.locator("svg[aria-describedby=members-chart-caption]")).to_have_count(0)
    page.goto(f"{live_server.url}/benchmarks/national/")
    expect(page.locator("svg[aria-describedby^=sector-chart-]")).to_have_count(7)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download every measure by sector (CSV)").click()
    assert download.value.suggested_filename == "2025-nhs-england-sectors.csv"


def well_led_score_and_percentile(page):
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Well led"))
    cells = row.get_by_role("cell")  # after the measure's row header: score, then percentile
    return cells.nth(0).inner_text(), cells.nth(1).inner_text()


def test_a_changed_answer_once_published_changes_the_score_and_percentile(
    live_server, page, sign_in, tmp_path
):
    journey = OpenRound(load(tmp_path), ["RJ1", "RJ2", "RJ3", "RJ4", "RJ5", "RJ6"])
    for code, level in (("RJ1", 1), ("RJ2", 2), ("RJ3", 3), ("RJ5", 1), ("RJ6", 3)):
        journey.answer(code, level)
        journey.publish(code)
    journey.answer("RJ4", 2)
    sign_in(page, journey.people["RJ4"].email, PASSWORD)
    benchmarks = f"{live_server.url}/benchmarks/organisations/RJ4/?round=2026/27+(journey)"

    page.goto(benchmarks)
    expect(page.get_by_text("Not published: only your organisation can see this")).to_be_visible()
    assert well_led_score_and_percentile(page) == ("2.0", "40% of peers")

    journey.answer("RJ4", 3, domain_key="well-led-core")
    journey.publish("RJ4")
    page.reload()

    expect(page.get_by_text("Not published")).to_have_count(0)
    assert well_led_score_and_percentile(page) == ("3.0", "60% of peers")


@pytest.fixture
def with_self_assessments(published_2025):
    demo.create_demo_content(lambda line: None)


@pytest.mark.journey
def test_small_groups_and_mixed_source_trends_are_accessible(
    live_server, page, sign_in, with_self_assessments, assert_accessible
):
    sign_in(page, "analyst@northstar.example", demo.DEMO_PASSWORD)
    for path in (
        "/benchmarks/organisations/RXN/?round=2025%2F26",
        "/benchmarks/organisations/QE1/?round=2025%2F26&group=sector",
        "/benchmarks/ics/QE1/?round=2025%2F26",
        "/benchmarks/national/?round=2025%2F26",
    ):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert_accessible(page)
    page.goto(live_server.url + "/benchmarks/organisations/QE1/?round=2025%2F26&group=sector")
    expect(page.get_by_text("Too few to rank (1 organisation)").first).to_be_visible()
    page.goto(live_server.url + "/benchmarks/organisations/RXN/?round=2025%2F26")
    expect(page.get_by_text("This trend mixes two sources")).to_be_visible()
