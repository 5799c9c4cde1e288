"""Who can read which organisation wrote an entry, search, and journeys like yours."""

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import RoleName
from learning import queries, search, services
from learning.models import Entry
from learning.queries import authorships_for_editing
from learning.tests.conftest import content, person, published
from organisations.models import OrganisationType
from organisations.tests.factories import TrustFactory

pytestmark = pytest.mark.django_db


def test_only_the_authoring_organisations_own_people_read_the_authorship(
    measures, trust, writer, moderator
):
    entry = published(writer, trust, moderator, anonymous=True)
    ics = trust.memberships.get().ics
    colleague = person(RoleName.APPROVER, trust)

    assert authorships_for_editing(colleague).filter(entry=entry).exists()
    for outsider in [
        person(RoleName.ICS_LEAD, ics),
        person(organisation=TrustFactory(membership__ics=ics)),
        person(RoleName.NATIONAL_ANALYST),
        person(RoleName.PATIENT_LEADER, trust),
        moderator,
    ]:
        assert not authorships_for_editing(outsider).filter(entry=entry).exists()
        assert queries.entry_for_editing(outsider, entry.reference) is None


def test_search_ranks_title_matches_first_and_follows_every_change(measures, trust, writer):
    in_body = published(
        writer, trust, title="Cloud move", what_went_wrong="The theatres system failed."
    )
    in_title = published(writer, trust, title="Theatres scheduling", summary="Scheduling.")

    hits = search.search("theatres", queries.library())
    assert [hit.entry for hit in hits] == [in_title, in_body]

    services.edit_entry(entry=in_body, by=writer, content=content(title="Cloud move"))
    assert [hit.entry for hit in search.search("theatres", queries.library())] == [in_title]
    draft = services.create_entry(
        by=writer, organisation=trust, content=content(title="Theatres draft")
    )
    assert draft not in [hit.entry for hit in search.search("theatres", queries.library())]


def test_search_index_holds_only_the_entrys_own_words(measures, trust, writer, moderator):
    entry = published(writer, trust, moderator, anonymous=True)

    document = search.document_of(entry)
    assert trust.name not in " ".join(document) and writer.full_name not in " ".join(document)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT title, body FROM learning_entry_fts WHERE rowid = %s", [entry.pk]
            )
            assert cursor.fetchone() == document


@pytest.mark.parametrize("query", ["", "   ", "!!!", "“”‘’", "*" * 10_000, "a" * 10_000])
def test_search_never_fails_on_odd_queries(measures, trust, writer, query):
    published(writer, trust)

    assert isinstance(search.search(query, queries.library()), list)


def test_journeys_like_yours_ranks_live_journeys_first_and_uses_measure_scores_when_given(
    measures, trust, writer
):
    stale = published(writer, trust, title="Old journey")
    Entry.objects.filter(pk=stale.pk).update(
        last_activity_at=timezone.now() - timezone.timedelta(days=400)
    )
    live = published(writer, trust, title="New journey", topics=[])
    reader_org = TrustFactory(org_type=OrganisationType.ACUTE)
    reader = person(organisation=reader_org)
    services.follow(by=reader, kind="topic", value="epr")

    _, suggestions = queries.journeys_like_yours(reader)
    assert [s.entry.title for s in suggestions] == ["New journey", "Old journey"]
    assert "A live journey: updated in the last six months" in suggestions[0].reasons

    def scores(ids):
        return {
            reader_org.id: {"well_led": 3, "safe_practice": 2},
            trust.id: {"well_led": 3, "safe_practice": 2.5},
        }

    _, with_scores = queries.journeys_like_yours(reader, measure_scores=scores)
    assert (
        "From an organisation whose success measure scores are close to yours"
        in with_scores[0].reasons
    )
    assert with_scores[0].score > suggestions[0].score
    assert live in [s.entry for s in with_scores]


def test_an_anonymous_entry_is_suggested_without_revealing_its_type(
    measures, trust, writer, moderator
):
    published(writer, trust, moderator, anonymous=True, org_types=["acute"])
    reader = person(organisation=TrustFactory(org_type=OrganisationType.ACUTE))

    _, [suggestion] = queries.journeys_like_yours(reader)

    assert (
        suggestion.reasons[0]
        == "Its authors say it applies to your type of organisation (acute trust)"
    )
