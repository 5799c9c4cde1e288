"""The learning library as people use it: a trust's digital lead writes a
redprint and publishes it anonymously after removing the words that identify
the trust, posts journey updates; a patient leader adds a perspective that a
moderator approves; a follower of the topic is notified; search finds the entry
by a word from an update; "journeys like yours" suggests it to a similar trust
with its reason. Every library page passes axe and works without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from accounts import services as accounts
from accounts.models import RoleName
from learning.demo import create_demo_library
from northstar import demo
from organisations.models import Organisation
from tests.browser.test_every_page import every_page

pytestmark = pytest.mark.django_db(transaction=True)

CONTRIBUTOR = "contributor@northstar.example"
PATIENT_LEADER = "patient-leader@northstar.example"
ADMIN = "admin@northstar.example"
SIMILAR = "similar-trust@northstar.example"
TITLE = "Redprint: our EPR training started before the build was stable"


@pytest.fixture
def library(live_server):
    demo.load_reference_data(lambda line: None)
    demo.create_demo_accounts()
    accounts.ensure_user(
        email=SIMILAR,
        full_name="Sam Similar (demo)",
        password=demo.DEMO_PASSWORD,
        roles=[(RoleName.CONTRIBUTOR, Organisation.objects.get(ods_code="RGT"))],
    )
    create_demo_library()


@pytest.fixture
def person(browser, live_server, sign_in):
    contexts = []

    def signed_in(email, javascript=True):
        context = browser.new_context(java_script_enabled=javascript)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        sign_in(page, email, demo.DEMO_PASSWORD)
        return page

    yield signed_in
    for context in contexts:
        context.close()


@pytest.mark.journey
def test_an_anonymous_redprint_from_writing_to_journeys_like_yours(
    live_server, library, person, assert_accessible
):
    url = live_server.url
    trust = Organisation.objects.get(ods_code=demo.DEMO_TRUST)

    # A digital lead at a similar trust follows the topic.
    similar = person(SIMILAR)
    similar.goto(f"{url}/learning/following/")
    similar.get_by_label("Topic").select_option(label="Electronic patient record (EPR)")
    similar.get_by_role("button", name="Follow this topic").click()
    expect(similar.get_by_role("link", name="Electronic patient record (EPR)")).to_be_visible()

    # The trust's digital lead writes a redprint that names the trust.
    lead = person(CONTRIBUTOR)
    lead.goto(f"{url}/learning/")
    lead.get_by_role("link", name="Write a blueprint or redprint").click()
    assert_accessible(lead)
    lead.get_by_label("Redprint", exact=True).check()
    lead.get_by_label("Title", exact=True).fill(TITLE)
    lead.get_by_label("Summary", exact=True).fill(
        f"At {trust.name} we trained staff on a moving target."
    )
    lead.get_by_label("What went wrong", exact=True).fill(
        "Training used screens that later changed."
    )
    lead.get_by_label("Electronic patient record (EPR)", exact=True).check()
    lead.get_by_label("Acute trust", exact=True).check()
    lead.get_by_label("Publish this redprint anonymously").check()
    lead.get_by_role("button", name="Save draft").click()
    expect(lead.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert_accessible(lead)

    # The check flags the trust's name; the lead removes it, then sends it.
    lead.get_by_role("link", name="Check and publish anonymously").click()
    expect(lead.get_by_role("heading", name=re.compile("Remove 1 word"))).to_be_visible()
    expect(lead.locator("mark")).to_have_text(trust.name)
    assert_accessible(lead)
    lead.get_by_role("link", name="Edit the entry").click()
    lead.get_by_label("Summary", exact=True).fill("We trained staff on a moving target.")
    lead.get_by_role("button", name="Save draft").click()
    lead.get_by_role("link", name="Check and publish anonymously").click()
    lead.get_by_role("button", name="Send to a moderator").click()
    expect(lead.get_by_text("sent to a moderator")).to_be_visible()

    # The moderator reviews it without seeing the trust, and publishes it.
    moderator = person(ADMIN)
    moderator.goto(f"{url}/learning/moderation/")
    moderator.get_by_role("link", name=f"Review {TITLE}").click()
    assert_accessible(moderator)
    assert trust.name not in moderator.content()
    moderator.get_by_role("button", name="Publish it").click()
    expect(moderator.get_by_text(f"“{TITLE}” is published.")).to_be_visible()

    # Two journey updates.
    for heading, words in [
        ("Month 1: training paused", "We paused training until the build froze."),
        (
            "Month 2: fortnightly huddles",
            "Fortnightly huddles with the supplier fixed the order sets.",
        ),
    ]:
        lead.goto(f"{url}/learning/")
        lead.get_by_role("link", name=TITLE).click()
        lead.get_by_role("link", name="Post a journey update").click()
        lead.get_by_label("Heading").fill(heading)
        lead.get_by_label("What has happened").fill(words)
        lead.get_by_role("button", name="Post the update").click()
    expect(lead.locator(".ns-timeline__item")).to_have_count(2)
    assert_accessible(lead)
    entry_url = lead.url.split("#")[0]

    # A patient leader adds a perspective; the moderator approves it.
    leader = person(PATIENT_LEADER)
    leader.goto(entry_url)
    leader.get_by_role("link", name=re.compile("^Add your perspective")).click()
    leader.get_by_label("Patient or carer leader").check()
    leader.get_by_label("Your perspective").fill(
        "Patients met staff who were unsure of the screens."
    )
    leader.get_by_role("button", name="Send for moderation").click()
    expect(leader.get_by_text("Your perspective is waiting for a moderator.")).to_be_visible()
    moderator.goto(f"{url}/learning/moderation/")
    assert_accessible(moderator)
    moderator.get_by_role(
        "button", name=f"Approve the patient or carer leader perspective on {TITLE}"
    ).click()
    leader.goto(entry_url)
    expect(leader.get_by_text("Patients met staff who were unsure of the screens.")).to_be_visible()
    expect(leader.get_by_text("Missing: Clinician, Staff.")).to_be_visible()
    assert trust.name not in leader.content()

    # The follower of the topic is notified.
    similar.goto(f"{url}/learning/notifications/")
    expect(similar.get_by_role("link", name=f"New redprint: {TITLE}")).to_be_visible()
    expect(
        similar.get_by_role("link", name=re.compile("Month 2: fortnightly huddles"))
    ).to_be_visible()
    assert_accessible(similar)

    # Search finds it by a word from an update.
    similar.goto(f"{url}/learning/")
    similar.get_by_label("Search the library").fill("huddles")
    similar.get_by_role("button", name="Search").click()
    expect(similar.get_by_role("link", name=TITLE)).to_be_visible()
    expect(similar.locator("mark").first).to_have_text(re.compile("huddles", re.I))
    assert_accessible(similar)

    # Journeys like yours suggests it to the similar trust, saying why.
    similar.goto(f"{url}/learning/journeys-like-yours/")
    suggestion = similar.locator(".ns-entry", has=similar.get_by_role("link", name=TITLE))
    expect(suggestion).to_contain_text(
        "Its authors say it applies to your type of organisation (acute trust)"
    )
    expect(suggestion).to_contain_text(
        "Electronic patient record (EPR), which your organisation is working on"
    )
    expect(suggestion).to_contain_text("A live journey")
    expect(suggestion).not_to_contain_text(trust.name)
    assert_accessible(similar)


MODERATION = {"learning:moderation", "learning:review_entry"}


def _library_pages():
    return [(name, path) for name, path in every_page() if name.startswith("learning:")]


@pytest.mark.journey
def test_every_library_page_is_accessible_to_its_authors_and_moderators(
    live_server, library, person, assert_accessible
):
    checked = []
    for email in (CONTRIBUTOR, ADMIN):
        page = person(email)
        for name, path in _library_pages():
            if email == CONTRIBUTOR and name in MODERATION:
                continue  # refused, rightly: moderators only
            if page.request.get(live_server.url + path).status == 405:
                continue  # a form's POST target
            response = page.goto(live_server.url + path)
            assert response.status < 400, f"{name} {path} answered {response.status} for {email}"
            assert_accessible(page)
            checked.append(name)
    assert len(set(checked)) >= 18


def test_every_library_page_works_without_javascript(live_server, library, person):
    page = person(CONTRIBUTOR, javascript=False)
    for name, path in _library_pages():
        if name in MODERATION:
            continue
        if page.request.get(live_server.url + path).status == 405:
            continue
        response = page.goto(live_server.url + path)
        assert response.status < 400, f"{name} {path} answered {response.status} without JavaScript"
        assert page.locator("h1").count() == 1, f"{name} has no single h1"
