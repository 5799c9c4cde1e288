import re

import pytest

from accounts.models import RoleName
from learning import services
from learning.models import Entry, EntryStatus, Perspective
from learning.tests.conftest import content, person, published
from organisations.tests.factories import TrustFactory

pytestmark = pytest.mark.django_db


def text_of(response):
    main = re.search(r"<main.*?</main>", response.content.decode(), re.S).group(0)
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


@pytest.fixture
def entry(measures, trust, writer):
    return published(writer, trust)


def test_library_lists_published_entries_with_filters(client, entry, trust, writer):
    services.create_entry(by=writer, organisation=trust, content=content(title="A private draft"))

    response = client.get("/learning/")
    assert response.status_code == 200
    assert "Go-live moved twice" in text_of(response)
    assert "A private draft" not in text_of(response)
    assert "1 entry" in text_of(response)
    assert "Go-live moved twice" not in text_of(client.get("/learning/", {"kind": "blueprint"}))
    assert "Go-live moved twice" in text_of(
        client.get(
            "/learning/",
            {
                "topic": "epr",
                "measure": "safe_practice",
                "supplier": "Acme EPR",
                "outcome": "partly",
                "org_type": "acute",
            },
        )
    )


def test_an_unknown_filter_gets_a_message_not_an_error(client, entry):
    response = client.get("/learning/", {"topic": "knitting"})

    assert response.status_code == 200
    assert "Select a topic from the list" in text_of(response)


def test_search_finds_words_from_journey_updates_with_a_highlighted_snippet(client, entry, writer):
    services.post_update(
        entry=entry, by=writer, title="Month 3", body="The <b>pharmacy</b> interface slipped."
    )

    response = client.get("/learning/", {"q": "pharmacy"})

    assert "Go-live moved twice" in text_of(response)
    html = response.content.decode()
    assert "<mark>pharmacy</mark>" in html
    assert "<b>" not in html  # escaped (SQLite) or dropped by ts_headline (PostgreSQL)


@pytest.mark.parametrize("query", ["!!! ??? ***", '"', "x" * 5000, "AND OR NOT (", "NEAR(a b)"])
def test_odd_searches_give_an_empty_result_not_an_error(client, entry, query):
    response = client.get("/learning/", {"q": query})

    assert response.status_code == 200
    assert "0 entries" in text_of(response) or "Search for 200 characters or fewer" in text_of(
        response
    )


def test_entry_page_shows_sections_timeline_and_missing_perspectives(client, entry, writer):
    services.post_update(
        entry=entry, by=writer, title="Month 1: first wards live", body="Going well."
    )

    response = client.get(f"/learning/entries/{entry.reference}/")

    words = text_of(response)
    assert response.status_code == 200
    assert "What went wrong" in words and "Month 1: first wards live" in words
    assert "Missing: Patient or carer leader, Clinician, Staff" in words
    assert response.content.decode().count("<h1") == 1


def test_markdown_script_tags_are_inert(client, measures, trust, writer):
    entry = published(writer, trust, what_went_wrong="<script>alert('x')</script> **bold**")

    html = client.get(f"/learning/entries/{entry.reference}/").content.decode()

    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html
    assert "<strong>bold</strong>" in html


def test_drafts_are_hidden_from_others(client, measures, trust, writer):
    draft = services.create_entry(by=writer, organisation=trust, content=content())

    assert client.get(f"/learning/entries/{draft.reference}/").status_code == 404
    client.force_login(writer)
    assert client.get(f"/learning/entries/{draft.reference}/").status_code == 200
    client.force_login(person(organisation=None, role=RoleName.NATIONAL_ANALYST))
    assert client.get(f"/learning/entries/{draft.reference}/").status_code == 404


def test_writing_an_entry_without_a_title_or_type_shows_the_error_summary(client, measures, writer):
    client.force_login(writer)

    response = client.post("/learning/new/", {"title": "", "topics": ["knitting"]})

    assert response.status_code == 400
    words = text_of(response)
    assert "There is a problem" in words
    assert "Enter a title" in words
    assert "Select whether this is a blueprint or a redprint" in words
    assert "Select topics from the list" in words
    assert 'href="#id_title"' in response.content.decode()
    assert not Entry.objects.exists()


def test_write_edit_and_publish_a_named_blueprint(client, measures, writer):
    client.force_login(writer)
    assert client.get("/learning/new/").status_code == 200
    response = client.post(
        "/learning/new/", {**content(kind="blueprint", topics=["epr"]), "suppliers": "Acme"}
    )
    entry = Entry.objects.get()
    assert response.status_code == 302

    assert client.get(f"/learning/entries/{entry.reference}/edit/").status_code == 200
    client.post(
        f"/learning/entries/{entry.reference}/edit/",
        {**content(kind="blueprint", title="Renamed"), "suppliers": ""},
    )
    client.post(f"/learning/entries/{entry.reference}/publish/")

    entry.refresh_from_db()
    assert entry.title == "Renamed" and entry.status == EntryStatus.PUBLISHED
    history = text_of(client.get(f"/learning/entries/{entry.reference}/history/"))
    assert writer.full_name in history
    compare = client.get(
        f"/learning/entries/{entry.reference}/compare/?from=1&to=2"
    ).content.decode()
    assert "<del>Go-live moved twice</del>" in compare and "<ins>Renamed</ins>" in compare


def test_publish_page_lists_identifying_words_for_the_author(client, measures, trust, writer):
    entry = services.create_entry(
        by=writer,
        organisation=trust,
        content=content(anonymous=True, context=f"We are {trust.name}."),
    )
    client.force_login(writer)

    page = text_of(client.get(f"/learning/entries/{entry.reference}/publish/"))
    assert "Remove 1 word that could identify your organisation" in page
    assert "your organisation's name" in page
    refused = client.post(f"/learning/entries/{entry.reference}/publish/")
    assert refused.status_code == 400
    entry.refresh_from_db()
    assert entry.status == EntryStatus.DRAFT


def test_moderator_reviews_without_seeing_the_organisation(
    client, measures, trust, writer, moderator
):
    entry = services.create_entry(by=writer, organisation=trust, content=content(anonymous=True))
    services.publish(entry=entry, by=writer)
    client.force_login(moderator)

    queue = client.get("/learning/moderation/")
    review = client.get(f"/learning/moderation/entries/{entry.reference}/")
    for response in (queue, review):
        assert response.status_code == 200
        assert trust.name not in response.content.decode()
    client.post(f"/learning/moderation/entries/{entry.reference}/", {"decision": "approve"})
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PUBLISHED


def test_moderation_needs_a_platform_admin(client, measures, writer):
    client.force_login(writer)
    assert client.get("/learning/moderation/").status_code == 403


def test_perspective_added_then_approved(client, entry, trust):
    leader = person(RoleName.PATIENT_LEADER, trust)
    client.force_login(leader)
    assert client.get(f"/learning/entries/{entry.reference}/perspectives/new/").status_code == 200
    bad = client.post(
        f"/learning/entries/{entry.reference}/perspectives/new/",
        {"role": "patient_carer", "body": ""},
    )
    assert "Enter your perspective" in text_of(bad)
    client.post(
        f"/learning/entries/{entry.reference}/perspectives/new/",
        {"role": "patient_carer", "body": "Nobody asked us."},
    )
    perspective = Perspective.objects.get()
    client.force_login(person(RoleName.PLATFORM_ADMIN))
    client.post(f"/learning/moderation/perspectives/{perspective.pk}/", {"decision": "approve"})

    words = text_of(client.get(f"/learning/entries/{entry.reference}/"))
    assert "Nobody asked us." in words
    assert "Missing: Clinician, Staff" in words


def test_a_perspective_on_a_missing_entry_is_not_found(client, measures, trust):
    client.force_login(person(RoleName.PATIENT_LEADER, trust))
    response = client.post(
        "/learning/entries/nope/perspectives/new/", {"role": "patient_carer", "body": "x"}
    )
    assert response.status_code == 404


def test_follow_a_topic_and_see_notifications(client, measures, trust, writer):
    follower = person(organisation=trust)
    client.force_login(follower)
    client.post(
        "/learning/follow/", {"kind": "topic", "value": "epr", "next": "/learning/following/"}
    )
    assert "Electronic patient record" in text_of(client.get("/learning/following/"))
    published(writer, trust)

    words = text_of(client.get("/learning/notifications/"))
    assert "New redprint: Go-live moved twice" in words
    client.post("/learning/notifications/")
    assert "0 unread notifications" in text_of(client.get("/learning/notifications/"))


def test_feeds_and_export(client, entry):
    assert "Go-live moved twice" in text_of(client.get("/learning/topics/epr/"))
    feed = client.get("/learning/topics/epr/?format=atom")
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert b"Go-live moved twice" in feed.content
    assert client.get("/learning/measures/safe_practice/?format=atom").status_code == 200
    assert client.get("/learning/measures/speed/").status_code == 404
    assert client.get("/learning/topics/knitting/").status_code == 404
    assert "reference, url, kind" in text_of(client.get("/learning/export/"))
    export = client.get("/learning/export/?format=csv")
    assert export["Content-Type"].startswith("text/csv")
    assert "Go-live moved twice" in export.content.decode()


def test_journeys_like_yours_says_why(client, entry, trust):
    other = person(organisation=TrustFactory())
    services.follow(by=other, kind="topic", value="epr")
    client.force_login(other)

    words = text_of(client.get("/learning/journeys-like-yours/"))
    assert "Go-live moved twice" in words
    assert "Written by an organisation of the same type as yours (acute trust)" in words
    assert "Electronic patient record (EPR), which your organisation is working on" in words
    assert "A live journey" in words


def test_someone_writing_for_two_organisations_chooses_one(client, measures, trust, writer):
    from accounts.models import Role

    other = TrustFactory(name="Another Hospitals NHS Trust")
    Role.objects.create(user=writer, name=RoleName.APPROVER, organisation=other)
    client.force_login(writer)

    missing = client.post("/learning/new/", {**content(), "suppliers": ""})
    assert "Select the organisation you are writing for" in text_of(missing)
    client.post("/learning/new/", {**content(), "suppliers": "", "organisation": str(other.pk)})

    assert Entry.objects.get().organisation == other
