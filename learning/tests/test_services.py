import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from accounts.models import RoleName
from learning import services
from learning.models import (
    Authorship,
    EntryStatus,
    ModerationStatus,
    Notification,
    PerspectiveRole,
    Revision,
)
from learning.tests.conftest import content, person, published

pytestmark = pytest.mark.django_db


def test_create_entry_makes_a_draft_with_its_first_revision(measures, trust, writer):
    entry = services.create_entry(by=writer, organisation=trust, content=content())

    assert entry.status == EntryStatus.DRAFT
    assert entry.organisation == trust
    assert [r.number for r in entry.revisions.all()] == [1]
    assert entry.revisions.get().by == writer
    assert Authorship.objects.get(entry=entry).organisation == trust
    assert sorted(t.value for t in entry.tags.all()) == ["Acme EPR", "acute", "safe_practice"]


def test_every_edit_makes_a_revision_and_an_unchanged_save_does_not(measures, trust, writer):
    entry = services.create_entry(by=writer, organisation=trust, content=content())

    services.edit_entry(entry=entry, by=writer, content=content(title="Go-live moved three times"))
    services.edit_entry(entry=entry, by=writer, content=content(title="Go-live moved three times"))

    assert list(entry.revisions.values_list("number", flat=True)) == [1, 2]
    assert (
        Revision.objects.get(entry=entry, number=2).content["title"] == "Go-live moved three times"
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "  "}, "title", "Enter a title"),
        ({"kind": ""}, "kind", "Select whether this is a blueprint or a redprint"),
        ({"topics": ["knitting"]}, "topics", "There is no topic called “knitting”"),
        ({"measures": ["speed"]}, "measures", "There is no success measure called “speed”"),
        ({"org_types": ["castle"]}, "org_types", "There is no organisation type called “castle”"),
        ({"outcome": "maybe"}, "outcome", "Select an outcome from the list"),
        ({"links": "javascript:alert(1)"}, "links", "Enter each link as a web address"),
        ({"kind": "blueprint", "anonymous": True}, "anonymous", "Only a redprint"),
    ],
)
def test_bad_content_is_refused_by_field(measures, trust, writer, overrides, field, message):
    with pytest.raises(ValidationError) as refused:
        services.create_entry(by=writer, organisation=trust, content=content(**overrides))

    assert message in " ".join(refused.value.message_dict[field])
    assert not Revision.objects.exists()


def test_a_named_entry_publishes_at_once(measures, trust, writer):
    entry = published(writer, trust)

    assert entry.status == EntryStatus.PUBLISHED
    assert entry.revisions.get().public


def test_an_anonymous_redprint_names_nobody_and_waits_for_a_moderator(
    measures, trust, writer, moderator
):
    entry = services.create_entry(by=writer, organisation=trust, content=content(anonymous=True))
    services.publish(entry=entry, by=writer)

    assert entry.organisation is None
    assert entry.revisions.get().by is None
    assert entry.status == EntryStatus.IN_REVIEW
    services.approve_entry(entry=entry, by=moderator)
    assert entry.status == EntryStatus.PUBLISHED


def test_identifying_words_are_found_and_block_publication(measures, trust, writer):
    text = f"At {trust.name} ({trust.ods_code}), {writer.full_name} led it."
    entry = services.create_entry(
        by=writer, organisation=trust, content=content(anonymous=True, context=text)
    )

    hits = services.identifying_hits(entry=entry, by=writer)
    assert {hit.found for hit in hits} >= {trust.name, trust.ods_code, writer.full_name}
    assert all(hit.field_label == "Context" for hit in hits)
    with pytest.raises(ValidationError):
        services.publish(entry=entry, by=writer)
    assert entry.status == EntryStatus.DRAFT


def test_the_ics_name_counts_as_identifying(measures, trust, writer):
    ics = trust.memberships.get().ics
    entry = services.create_entry(
        by=writer,
        organisation=trust,
        content=content(anonymous=True, summary=f"Across {ics.name}."),
    )

    assert [hit.term.what for hit in services.identifying_hits(entry=entry, by=writer)] == [
        "your integrated care system"
    ]


def test_a_moderator_can_send_an_entry_back(measures, trust, writer, moderator):
    entry = services.create_entry(by=writer, organisation=trust, content=content(anonymous=True))
    services.publish(entry=entry, by=writer)

    with pytest.raises(ValidationError):
        services.return_entry(entry=entry, by=moderator, reason="")
    services.return_entry(entry=entry, by=moderator, reason="Mentions a hospital by name.")

    assert entry.status == EntryStatus.DRAFT
    assert entry.review_note == "Mentions a hospital by name."


def test_journey_updates_on_an_anonymous_entry_refuse_identifying_words(
    measures, trust, writer, moderator
):
    entry = published(writer, trust, moderator, anonymous=True)

    with pytest.raises(ValidationError) as refused:
        services.post_update(
            entry=entry, by=writer, title="Month 3", body=f"{trust.name} went live"
        )
    assert "Remove words" in refused.value.message_dict["body"][0]

    update = services.post_update(entry=entry, by=writer, title="Month 3", body="We went live.")
    assert update.by is None


def test_perspectives_show_only_after_approval_and_notify_followers(measures, trust, writer):
    entry = published(writer, trust)
    leader = person(RoleName.PATIENT_LEADER, trust)
    follower = person(organisation=trust)
    services.follow(by=follower, kind="entry", value=entry.reference)
    perspective = services.add_perspective(
        entry=entry, by=leader, role=PerspectiveRole.PATIENT_CARER, body="Patients were not asked."
    )
    assert perspective.status == ModerationStatus.PENDING
    assert not Notification.objects.filter(user=follower).exists()

    services.review_perspective(
        perspective=perspective, by=person(RoleName.PLATFORM_ADMIN), approve=True
    )

    assert Notification.objects.get(user=follower).text.startswith("New patient or carer leader")
    # the author follows their own entry
    assert Notification.objects.filter(user=writer).count() == 1


def test_only_patient_leaders_write_as_patient_or_carer(measures, trust, writer):
    entry = published(writer, trust)

    with pytest.raises(ValidationError) as refused:
        services.add_perspective(entry=entry, by=writer, role="patient_carer", body="x")
    assert "Only patient and carer leaders" in refused.value.message_dict["role"][0]


def test_topic_followers_hear_of_new_entries_and_updates_then_get_one_digest(
    measures, trust, writer
):
    follower = person(organisation=trust)
    services.follow(by=follower, kind="topic", value="epr")
    entry = published(writer, trust)
    services.post_update(entry=entry, by=writer, title="Month 1: live", body="Two wards live.")

    texts = list(Notification.objects.filter(user=follower).values_list("text", flat=True))
    assert sorted(texts) == [
        "Journey update on “Go-live moved twice”: Month 1: live",
        "New redprint: Go-live moved twice",
    ]
    assert services.send_digests(site_url="https://northstar.example") == 1
    assert services.send_digests(site_url="https://northstar.example") == 0
    [email] = [m for m in mail.outbox if m.to == [follower.email]]
    assert "Month 1: live" in email.body
    assert f"https://northstar.example/learning/entries/{entry.reference}/" in email.body


def test_organisation_followers_never_hear_of_its_anonymous_entries(
    measures, trust, writer, moderator
):
    follower = person(organisation=trust)
    services.follow(by=follower, kind="organisation", value=trust.ods_code)

    published(writer, trust, moderator, anonymous=True, topics=[])
    assert not Notification.objects.filter(user=follower).exists()
    published(writer, trust, moderator, topics=[])
    assert Notification.objects.filter(user=follower).count() == 1


def test_following_something_that_does_not_exist_is_refused(measures, writer):
    with pytest.raises(ValidationError):
        services.follow(by=writer, kind="topic", value="knitting")
    with pytest.raises(ValidationError):
        services.follow(by=writer, kind="entry", value="missing")
    with pytest.raises(ValidationError):
        services.follow(by=writer, kind="planet", value="mars")


def test_anonymity_cannot_change_after_publication(measures, trust, writer):
    entry = published(writer, trust)

    with pytest.raises(ValidationError) as refused:
        services.edit_entry(entry=entry, by=writer, content=content(anonymous=True))
    assert "cannot change" in refused.value.message_dict["anonymous"][0]
