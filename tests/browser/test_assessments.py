"""Self-assessment journeys in a real browser, as the real roles: answering
with JavaScript on and off, evidence, refusals on submit, the whole sign-off,
history, two people editing one answer, axe on every assessment page, and the
burden of filling one in (recorded in docs/burden.md)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD
from assessments.models import AnswerRevision, Assessment
from assessments.tests.factories import build_world, person
from assessments.workflow import AssessmentStatus

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
LEVEL = {n: [f"{lv}{x}" for lv in range(1, n + 1) for x in "ab"] for n in range(0, 6)}
ASSESSMENT = "/assessments/2026-27/RTEST/acute/"


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def as_person(browser, live_server):
    """A page signed in as ``user``, in a browser context of its own."""
    contexts = []

    def open_as(user, javascript=True):
        context = browser.new_context(java_script_enabled=javascript)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(f"{live_server.url}/accounts/sign-in/")
        page.get_by_label("Email address").fill(user.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("link", name="Sign out")).to_be_visible()
        return page

    yield open_as
    for context in contexts:
        context.close()


def domain_url(live_server, key):
    return f"{live_server.url}{ASSESSMENT}domains/{key}/"


def tick(page, keys, javascript=True):
    for key in keys:
        page.check(f"#element-{key}")
        if javascript:
            expect(page.locator("#autosave-status")).to_contain_text("Saved")


def save_and_continue(page):
    page.get_by_role("button", name="Save and continue").click()


def take_step(page, live_server, button, reason=None):
    page.goto(live_server.url + ASSESSMENT)
    if reason:
        page.get_by_label("Reason, if you send it back to draft").fill(reason)
    page.get_by_role("button", name=button).click()


@pytest.mark.journey
def test_the_whole_journey_as_the_real_roles(live_server, world, as_person, assert_accessible):
    contributor = as_person(world.contributor)
    contributor.goto(live_server.url + ASSESSMENT)
    expect(contributor.get_by_text("0 of 9 answered")).to_be_visible()

    # With JavaScript: each tick saves at once and the level shows as they tick.
    contributor.get_by_role("link", name="Well led", exact=True).click()
    contributor.get_by_role("link", name="Go to the first question").click()
    tick(contributor, LEVEL[2])
    expect(contributor.locator("#level-achieved")).to_have_text("Level 2")
    assert_accessible(contributor)
    save_and_continue(contributor)
    expect(contributor.get_by_role("heading", level=1)).to_have_text("Epr")
    tick(contributor, LEVEL[1])
    save_and_continue(contributor)
    for _ in ("smart-foundations-core", "safe-practice-core"):
        tick(contributor, LEVEL[2])
        save_and_continue(contributor)

    # Without JavaScript: "Save and continue" posts the form.
    plain = as_person(world.contributor, javascript=False)
    plain.goto(domain_url(live_server, "support-people-core"))
    for key, level in [
        ("support-people-core", 2),
        ("empower-citizens-core", 3),
        ("closed-loop-medicines", 4),
        ("improve-care-core", 2),
        ("healthy-populations-core", 1),
    ]:
        expect(plain.get_by_role("heading", level=1)).to_have_text(
            key.replace("-", " ").capitalize()
        )
        tick(plain, LEVEL[level], javascript=False)
        save_and_continue(plain)
    expect(plain.get_by_text("9 of 9 answered")).to_be_visible()

    # Evidence: a file, checked from its content.
    contributor.goto(live_server.url + "/assessments/2026-27/RTEST/evidence/")
    contributor.get_by_label("Title").fill("Medicines programme board minutes")
    contributor.set_input_files(
        "#id_upload", files=[{"name": "minutes.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    contributor.get_by_role("button", name="Add evidence").click()
    expect(contributor.get_by_text("has been added")).to_be_visible()

    # Submission is refused: evidence missing at level 4, and a broken consistency rule.
    take_step(contributor, live_server, "Submit for approval")
    summary = contributor.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Closed loop medicines is at level 4, which needs evidence")
    expect(summary).to_contain_text(
        "You answered Closed loop medicines at level 4 but Epr at level 1; "
        "level 4 Closed loop medicines needs Epr at level 3 or above"
    )
    assert_accessible(contributor)

    # Fix both, following the links in the error summary.
    summary.get_by_role("link", name=re.compile("needs evidence")).click()
    contributor.get_by_label("1. Medicines programme board minutes").check()
    expect(contributor.locator("#autosave-status")).to_contain_text("Saved")
    contributor.goto(live_server.url + ASSESSMENT)
    contributor.locator(".nhsuk-list a", has_text="You answered").click()
    expect(contributor.get_by_role("heading", level=1)).to_have_text("Epr")
    tick(contributor, ["2a", "2b", "3a", "3b"])
    take_step(contributor, live_server, "Submit for approval")
    expect(contributor.get_by_text("has been submitted for approval")).to_be_visible()

    # The approver approves; the ICS lead sends it back once, with a reason.
    approver = as_person(world.approver)
    take_step(approver, live_server, "Approve")
    ics_lead = as_person(world.ics_lead)
    take_step(ics_lead, live_server, "Send back to draft")
    expect(ics_lead.locator(".nhsuk-error-summary")).to_contain_text(
        "Say why it is being sent back"
    )
    take_step(ics_lead, live_server, "Send back to draft", reason="Show the EPR roll-out evidence")

    # The contributor changes an answer, and it goes round again.
    contributor.goto(domain_url(live_server, "epr"))
    contributor.get_by_label("Comment (optional)").fill("Live on all adult wards")
    expect(contributor.locator("#autosave-status")).to_contain_text("Saved")
    take_step(contributor, live_server, "Submit for approval")
    take_step(approver, live_server, "Approve")
    take_step(ics_lead, live_server, "Validate")
    admin = as_person(world.admin)
    take_step(admin, live_server, "Publish")
    expect(admin.get_by_text("has been published")).to_be_visible()
    assert (
        Assessment.objects.get(organisation=world.trust, care_setting="acute").status
        == AssessmentStatus.PUBLISHED
    )

    # The history shows every step and every change.
    steps = admin.locator("table", has_text="Sign-off history")
    for line in [
        "Opened as a draft",
        "Submitted",
        "Approved",
        "Sent back to draft from approved",
        "Show the EPR roll-out evidence",
        "Validated",
        "Published",
    ]:
        expect(steps).to_contain_text(line)
    expect(steps.locator("tr", has_text="Submitted")).to_have_count(2)
    admin.goto(domain_url(live_server, "epr").replace("/epr/", "/epr/history/"))
    history = admin.locator("table")
    # With JavaScript each tick was saved, and recorded, as it was made.
    expect(history).to_contain_text("Elements met: 1a")
    for change in ("Ticked 1b", "Ticked 2a", "Ticked 3b", "Level 2 → Level 3"):
        expect(history).to_contain_text(change)
    expect(history).to_contain_text("Comment added: “Live on all adult wards”")


def test_two_people_editing_one_answer_see_the_conflict_and_both_are_kept(
    live_server, world, as_person, assert_accessible
):
    from accounts.models import RoleName

    colleague = person(RoleName.CONTRIBUTOR, world.trust, "Sam Second")
    first = as_person(world.contributor)
    second = as_person(colleague)
    first.goto(domain_url(live_server, "epr"))
    second.goto(domain_url(live_server, "epr"))
    tick(first, ["1a", "1b"])
    second.check("#element-2a")
    conflict = second.locator("#conflict")
    expect(conflict).to_contain_text("Changed by Casey Contributor")
    expect(conflict).to_contain_text("Elements met: 1a, 1b")
    expect(conflict).to_contain_text("Elements met: 2a")
    assert_accessible(second)
    # The page's own form then offers the choice; keeping theirs is a link away.
    save_and_continue(second)
    expect(second.locator("#conflict")).to_contain_text("Take their answer")
    assert_accessible(second)
    second.get_by_role("button", name="Keep my answer").click()
    expect(second.get_by_text("has been saved")).to_be_visible()
    kept = list(
        AnswerRevision.objects.order_by("version").values_list("met_elements", "by__full_name")
    )
    assert kept[0] == (["1a"], "Casey Contributor")
    assert (["1a", "1b"], "Casey Contributor") in kept
    assert kept[-1] == (["2a"], "Sam Second")


def assessment_pages(world):
    base = ASSESSMENT
    return [
        "/assessments/",
        "/assessments/2026-27/",
        "/assessments/2026-27/download/",
        base,
        base + "?at=2026-01-01T09:00",
        base + "measures/smart_foundations/",
        base + "domains/epr/",
        base + "domains/epr/history/",
        base + "download/",
        "/assessments/2026-27/RTEST/evidence/",
        "/assessments/2026-27/RTEST/evidence/1/",
    ]


@pytest.fixture
def answered(world):
    from assessments import services
    from assessments.tests.factories import answer

    evidence = services.add_evidence(
        assessment=world.assessment(), title="Plan", note="**Approved** plan", by=world.contributor
    )
    answer(world, "epr", ["1a", "1b"], evidence_ids=(evidence.id,), comment="Started")
    answer(world, "epr", LEVEL[3], version=1, evidence_ids=(evidence.id,))
    return world


def test_every_assessment_page_passes_axe(live_server, answered, as_person, assert_accessible):
    page = as_person(answered.contributor)
    for path in assessment_pages(answered):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert_accessible(page)
    admin = as_person(answered.admin)
    admin.goto(live_server.url + "/assessments/rounds/new/")
    assert_accessible(admin)
    admin.get_by_role("button", name="Open the round").click()
    expect(admin.locator(".nhsuk-error-summary")).to_contain_text("Enter the round's name")
    assert_accessible(admin)


def test_every_assessment_page_works_without_javascript(live_server, answered, as_person):
    page = as_person(answered.contributor, javascript=False)
    for path in assessment_pages(answered):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert page.locator("h1").count() == 1, path
    page.goto(domain_url(live_server, "well-led-core"))
    tick(page, LEVEL[1], javascript=False)
    save_and_continue(page)
    expect(page.get_by_text("has been saved")).to_be_visible()


# --- The burden --------------------------------------------------------------

BURDEN = Path(settings.BASE_DIR) / "docs" / "burden.md"


class Counter:
    """Counts page loads (main-frame navigations) and the person's actions."""

    def __init__(self, page):
        self.page = page
        self.loads = 0
        self.actions = 0
        page.on("load", lambda: setattr(self, "loads", self.loads + 1))

    def goto(self, url):
        self.page.goto(url)

    def act(self, locator, method="click"):
        self.actions += 1
        # Forced: the page is static without JavaScript, so Playwright's
        # waits for it to settle only slow the count down. Without JavaScript
        # every click here loads a page: wait for it, so that the next action
        # never lands on the page being left.
        if method == "click":
            with self.page.expect_navigation(wait_until="load"):
                locator.click(force=True)
        else:
            getattr(locator, method)(force=True)


@pytest.mark.journey
def test_burden_of_an_assessment_from_scratch_and_reconfirmed(live_server, browser, as_person, db):
    from assessments import queries, workflow
    from assessments.models import Round
    from assessments.tests.factories import open_test_round
    from frameworks import services as frameworks
    from frameworks.models import FrameworkVersion

    frameworks.load(path=Path(settings.BASE_DIR) / "data" / "frameworks" / "wgll-2025.1.yaml")
    version = FrameworkVersion.objects.get(framework__slug="wgll", version="2025.1")
    world = build_world(open_round=False, version=version)
    first = open_test_round(world, name="2025/26", version=version)
    domains = queries.domains_of(first.assessments.get(organisation=world.trust))

    # (a) From scratch, without JavaScript: tick each domain's level 1 and 2
    # elements (a typical answer), "Save and continue" through every domain, submit.
    page = as_person(world.contributor, javascript=False)
    count = Counter(page)
    url = f"{live_server.url}/assessments/2025-26/RTEST/acute/"
    count.goto(url)
    count.act(page.get_by_role("link", name=domains[0].measure.name, exact=True))
    count.act(page.get_by_role("link", name="Go to the first question"))
    for domain in domains:
        for element in domain.elements.all():
            if element.level <= 2:
                count.act(page.locator(f"#element-{element.key}"), "check")
        count.act(page.get_by_role("button", name="Save and continue"))
    count.act(page.get_by_role("button", name="Submit for approval"))
    expect(page.get_by_text("has been submitted")).to_be_visible()
    scratch = (len(domains), count.loads, count.actions)

    # (b) The next round starts from these answers; nothing changed, so the
    # contributor confirms each measure unchanged, then submits.
    Round.objects.filter(pk=first.pk).update(closes_on=first.opens_on)
    for step, by in [
        ("approve", world.approver),
        ("validate", world.ics_lead),
        ("publish", world.admin),
    ]:
        workflow.take_step(
            assessment=first.assessments.get(organisation=world.trust), step=step, by=by
        )
    open_test_round(world, name="2026/27", version=version, previous=Round.objects.get(pk=first.pk))
    count = Counter(page)
    count.goto(f"{live_server.url}{ASSESSMENT}")
    measures = len({d.measure_id for d in domains})
    for _ in range(measures):
        count.act(page.get_by_role("button", name=re.compile("^Confirm unchanged")).first)
    count.act(page.get_by_role("button", name="Submit for approval"))
    expect(page.get_by_text("has been submitted")).to_be_visible()
    reconfirm = (measures, count.loads, count.actions)
    assert reconfirm[2] == measures + 1, (
        "re-confirming must take one action per measure plus submission"
    )

    recorded = BURDEN.read_text()
    assert (
        f"| (a) from scratch | {scratch[0]} domains | {scratch[1]} | {scratch[2]} |" in recorded
    ), scratch
    assert (
        f"| (b) re-confirm unchanged | {reconfirm[0]} measures | {reconfirm[1]} | {reconfirm[2]} |"
        in recorded
    ), reconfirm


def test_nothing_typed_is_lost_when_the_session_ends(live_server, world, as_person):
    page = as_person(world.contributor, javascript=False)
    page.goto(domain_url(live_server, "epr"))
    tick(page, LEVEL[1], javascript=False)
    page.get_by_label("Comment (optional)").fill("Typed while the session ran out")
    page.context.clear_cookies(name="sessionid")
    save_and_continue(page)
    expect(page.get_by_text("Your session had ended")).to_be_visible()
    page.get_by_label("Email address").fill(world.contributor.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("We kept what you entered")).to_be_visible()
    expect(page.get_by_label("Comment (optional)")).to_have_value("Typed while the session ran out")
    expect(page.locator("#element-1b")).to_be_checked()
    save_and_continue(page)
    expect(page.get_by_text("has been saved")).to_be_visible()
