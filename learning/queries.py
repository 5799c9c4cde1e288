"""Reads for the learning library, scoped by who is asking. Readers see
published entries; an entry's authors (people at the organisation that wrote
it) also see its drafts; moderators see what waits for them. Which
organisation wrote an entry is read only through ``authorships_for_editing``."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from accounts.policy import (
    Permission,
    has_permission,
    organisation_ids_of,
    writing_organisation_ids,
)
from learning import similarity
from learning.models import (
    Attachment,
    Authorship,
    Entry,
    EntryStatus,
    Follow,
    FollowKind,
    JourneyUpdate,
    ModerationStatus,
    Perspective,
    Tag,
    TagKind,
    Topic,
)
from organisations.models import Organisation

LIVE_FOR = timedelta(days=183)


def authorships_for_editing(user):
    """The one way to read which organisation wrote an entry: the authorships
    of the organisations where ``accounts.policy`` lets the user write, so that
    their people can edit what they wrote. No one else (an ICS lead, an
    analyst, a moderator) can learn who wrote an anonymous entry."""
    return Authorship.objects.filter(organisation_id__in=writing_organisation_ids(user))


def _with_related(entries):
    return entries.select_related("organisation").prefetch_related("topics", "tags")


def published_entries():
    return _with_related(Entry.objects.filter(status=EntryStatus.PUBLISHED))


def own_entries(user):
    """Every entry written at the user's own organisations, drafts included."""
    return _with_related(
        Entry.objects.filter(pk__in=authorships_for_editing(user).values("entry"))
    ).order_by("-updated_at", "-pk")


def readable_entries(user):
    """Published entries, and the user's own organisations' entries."""
    own = authorships_for_editing(user).values("entry")
    return _with_related(Entry.objects.filter(Q(status=EntryStatus.PUBLISHED) | Q(pk__in=own)))


def readable_entry(user, reference):
    """The entry, if the user may read it; otherwise None."""
    return readable_entries(user).filter(reference=reference).first()


def is_author(user, entry):
    return authorships_for_editing(user).filter(entry=entry).exists()


def _tagged(kind, value):
    return Exists(Tag.objects.filter(entry=OuterRef("pk"), kind=kind, value=value))


def library(*, kind="", measure="", topic="", supplier="", outcome="", org_type=""):
    """Published entries matching the filters, most recently active first."""
    entries = published_entries()
    if kind:
        entries = entries.filter(kind=kind)
    if outcome:
        entries = entries.filter(outcome=outcome)
    if topic:
        entries = entries.filter(
            Exists(Topic.entries.through.objects.filter(entry_id=OuterRef("pk"), topic__slug=topic))
        )
    if measure:
        entries = entries.filter(_tagged(TagKind.MEASURE, measure))
    if supplier:
        entries = entries.filter(
            Exists(
                Tag.objects.filter(
                    entry=OuterRef("pk"), kind=TagKind.SUPPLIER, value__iexact=supplier
                )
            )
        )
    if org_type:
        entries = entries.filter(_tagged(TagKind.ORG_TYPE, org_type))
    return entries.order_by("-last_activity_at", "-pk")


def suppliers():
    """Every supplier named on a published entry, for the filter."""
    names = Tag.objects.filter(kind=TagKind.SUPPLIER, entry__status=EntryStatus.PUBLISHED)
    return sorted(set(names.values_list("value", flat=True)), key=str.lower)


def topics():
    return Topic.objects.all()


def topic_by(slug):
    topic = Topic.objects.filter(slug=slug).first()
    if topic is None:
        raise Http404(f"There is no topic “{slug}”.")
    return topic


@dataclass
class EntryAccess:
    entry: Entry
    can_edit: bool
    can_moderate: bool


def entry_for(user, reference):
    """The entry as ``user`` may see it: published to everyone; a draft to its
    authors; one waiting for review to its authors and moderators."""
    entry = _with_related(Entry.objects.filter(reference=reference)).first()
    if entry is None:
        raise Http404(f"There is no entry “{reference}”.")
    can_edit = is_author(user, entry)
    can_moderate = has_permission(user, Permission.MODERATE_LEARNING)
    visible = (
        entry.is_published or can_edit or (entry.status == EntryStatus.IN_REVIEW and can_moderate)
    )
    if not visible:
        raise Http404(f"There is no entry “{reference}”.")
    return EntryAccess(entry, can_edit, can_moderate)


def entry_for_editing(user, reference):
    """The entry, if the user is one of its authors; otherwise None."""
    return _with_related(
        Entry.objects.filter(
            reference=reference, pk__in=authorships_for_editing(user).values("entry")
        )
    ).first()


def updates_of(entry):
    return JourneyUpdate.objects.filter(entry=entry).order_by("posted_at", "pk")


def approved_perspectives(entry):
    return Perspective.objects.filter(entry=entry, status=ModerationStatus.APPROVED)


def own_pending_perspectives(user, entry):
    if not user.is_authenticated:
        return Perspective.objects.none()
    return Perspective.objects.filter(entry=entry, by=user, status=ModerationStatus.PENDING)


def attachments_of(entry):
    return Attachment.objects.filter(entry=entry)


def attachment_of(entry, number):
    return attachments_of(entry).filter(number=number).first()


def revisions_for(access):
    """Readers see the history from publication on; authors see their drafting too."""
    revisions = access.entry.revisions.order_by("number").select_related("by")
    return revisions if access.can_edit else revisions.filter(public=True)


# --- Moderation ---------------------------------------------------------------


def entries_waiting():
    return _with_related(Entry.objects.filter(status=EntryStatus.IN_REVIEW)).order_by("updated_at")


def perspectives_waiting():
    return (
        Perspective.objects.filter(status=ModerationStatus.PENDING)
        .select_related("entry")
        .order_by("submitted_at")
    )


def entry_waiting(reference):
    return entries_waiting().filter(reference=reference).first()


def perspective_waiting(perspective_id):
    perspective = perspectives_waiting().filter(pk=perspective_id).first()
    if perspective is None:
        raise Http404("That perspective is not waiting for a moderator.")
    return perspective


# --- Following ----------------------------------------------------------------


def follows_of(user):
    if not user.is_authenticated:
        return Follow.objects.none()
    return Follow.objects.filter(user=user)


def is_following(user, kind, value):
    return follows_of(user).filter(kind=kind, value=value).exists()


def notifications_of(user):
    return user.learning_notifications.select_related("entry")[:100]


def unread_count(user):
    return user.learning_notifications.filter(read_at__isnull=True).count()


def entries_for_feed(*, topic=None, measure=None):
    entries = library(topic=topic or "", measure=measure or "")
    return entries.prefetch_related(
        Prefetch("updates", queryset=JourneyUpdate.objects.order_by("posted_at"))
    )[:50]


def followed_organisation(ods_code):
    return Organisation.objects.filter(ods_code=ods_code).first()


# --- Journeys like yours ------------------------------------------------------


def writing_organisations(user):
    """The organisations the user writes blueprints and redprints for, by name."""
    return Organisation.objects.filter(pk__in=writing_organisation_ids(user)).order_by("name")


def home_organisation(user):
    """The organisation the user writes for (the first, if several)."""
    ids = sorted(writing_organisation_ids(user))
    if not ids and user.is_authenticated:
        ids = sorted(organisation_ids_of(user))
    return Organisation.objects.filter(pk__in=ids[:1]).first()


def working_topics(user, organisation):
    """Topics the organisation is working on: those of its own entries (as
    its writers see them) and those its people follow."""
    own = authorships_for_editing(user).filter(organisation=organisation).values("entry")
    from_entries = Topic.objects.filter(entries__in=own).values_list("slug", flat=True)
    followed = Follow.objects.filter(
        user__roles__organisation=organisation, kind=FollowKind.TOPIC
    ).values_list("value", flat=True)
    return set(from_entries) | set(followed)


def journeys_like_yours(user, *, measure_scores=None, limit=20):
    """Published entries for the user's organisation to learn from, each with why.

    ``measure_scores``, when given, is a function from organisation ids to
    ``{organisation_id: {measure_key: score}}``; entries whose (named)
    organisation has a maturity profile close to the user's rank higher. Live
    journeys (active in the last six months) come first."""
    organisation = home_organisation(user)
    if organisation is None:
        return None, []
    own = authorships_for_editing(user).filter(organisation=organisation).values("entry")
    candidates = list(published_entries().exclude(pk__in=own))
    suggestions = similarity.rank(
        organisation,
        candidates,
        topics=working_topics(user, organisation),
        measure_scores=measure_scores,
        live_since=timezone.now() - LIVE_FOR,
    )
    return organisation, suggestions[:limit]
