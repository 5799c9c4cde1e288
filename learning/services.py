"""Writes to the learning library. Each function takes keyword arguments only,
with the acting person as ``by``; it is atomic, keeps the search index in step
in the same transaction, and raises ``ValidationError`` keyed by the field at
fault before changing anything. Whether ``by`` may act is the caller's
question, asked of ``accounts.policy``."""

import secrets
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from accounts.policy import may_give_patient_perspective
from learning import attachments, identifying, queries, search
from learning.models import (
    TEXT_FIELDS,
    Attachment,
    Authorship,
    Entry,
    EntryKind,
    EntryStatus,
    Follow,
    FollowKind,
    JourneyUpdate,
    ModerationStatus,
    Notification,
    NotificationKind,
    Outcome,
    Perspective,
    PerspectiveRole,
    Revision,
    Tag,
    TagKind,
    Topic,
)
from learning.presenters import digest_email
from learning.vocabulary import measure_keys
from organisations.models import Organisation, OrganisationType

TEXT_MAX_LENGTH = 20_000
TITLE_MAX_LENGTH = 200
SUPPLIER_MAX_LENGTH = 100
UPDATE_MAX_LENGTH = 5_000
MAX_SUPPLIERS = 20


def _add(errors, key, message):
    errors.setdefault(key, []).append(message)


def _unknown(values, known, what, errors, key):
    for value in values:
        if value not in known:
            _add(errors, key, f"There is no {what} called “{value}”. Choose one from the list.")


def _clean_content(content):
    """The entry's content, checked: every problem, keyed by field."""
    errors = {}
    kind = content.get("kind") or ""
    if kind not in EntryKind.values:
        _add(errors, "kind", "Select whether this is a blueprint or a redprint")
    title = " ".join((content.get("title") or "").split())
    if not title:
        _add(errors, "title", "Enter a title")
    elif len(title) > TITLE_MAX_LENGTH:
        _add(errors, "title", f"Title must be {TITLE_MAX_LENGTH} characters or fewer")
    texts = {}
    for field, label in TEXT_FIELDS.items():
        text = (content.get(field) or "").strip()
        if len(text) > TEXT_MAX_LENGTH:
            _add(errors, field, f"{label} must be {TEXT_MAX_LENGTH:,} characters or fewer")
        texts[field] = text
    for line in texts["links"].splitlines():
        parts = urlsplit(line.strip())
        if line.strip() and (parts.scheme not in ("http", "https") or not parts.netloc):
            _add(
                errors,
                "links",
                "Enter each link as a web address starting https:// or http://, one a line",
            )
            break
    outcome = content.get("outcome") or ""
    if outcome not in ("", *Outcome.values):
        _add(errors, "outcome", "Select an outcome from the list")
    topics = list(dict.fromkeys(content.get("topics") or []))
    known_topics = set(Topic.objects.values_list("slug", flat=True))
    _unknown(topics, known_topics, "topic", errors, "topics")
    measures = list(dict.fromkeys(content.get("measures") or []))
    _unknown(measures, measure_keys(), "success measure", errors, "measures")
    org_types = list(dict.fromkeys(content.get("org_types") or []))
    _unknown(org_types, OrganisationType.values, "organisation type", errors, "org_types")
    suppliers = []
    for supplier in content.get("suppliers") or []:
        supplier = " ".join(supplier.split())
        if len(supplier) > SUPPLIER_MAX_LENGTH:
            _add(
                errors,
                "suppliers",
                f"Each supplier must be {SUPPLIER_MAX_LENGTH} characters or fewer",
            )
        elif supplier and supplier.lower() not in (s.lower() for s in suppliers):
            suppliers.append(supplier)
    if len(suppliers) > MAX_SUPPLIERS:
        _add(errors, "suppliers", f"Name {MAX_SUPPLIERS} suppliers or fewer")
    anonymous = bool(content.get("anonymous"))
    if anonymous and kind == EntryKind.BLUEPRINT:
        _add(errors, "anonymous", "Only a redprint can be published anonymously")
    if errors:
        raise ValidationError(errors)
    return {
        "kind": kind,
        "title": title,
        **texts,
        "outcome": outcome,
        "topics": topics,
        "measures": measures,
        "suppliers": suppliers,
        "org_types": org_types,
        "anonymous": anonymous,
        "show_org_type": anonymous and bool(content.get("show_org_type")),
    }


def _snapshot(entry):
    tags = {kind: [] for kind in TagKind.values}
    for tag in entry.tags.all():
        tags[tag.kind].append(tag.value)
    return {
        "kind": entry.kind,
        "title": entry.title,
        **{field: getattr(entry, field) for field in TEXT_FIELDS},
        "outcome": entry.outcome,
        "topics": sorted(topic.name for topic in entry.topics.all()),
        "measures": sorted(tags[TagKind.MEASURE]),
        "suppliers": sorted(tags[TagKind.SUPPLIER]),
        "org_types": sorted(tags[TagKind.ORG_TYPE]),
    }


def _apply(entry, cleaned, organisation):
    entry.kind = cleaned["kind"]
    entry.title = cleaned["title"]
    for field in TEXT_FIELDS:
        setattr(entry, field, cleaned[field])
    entry.outcome = cleaned["outcome"]
    entry.anonymous = cleaned["anonymous"]
    entry.organisation = None if entry.anonymous else organisation
    entry.shown_org_type = organisation.org_type if cleaned["show_org_type"] else ""
    entry.save()
    entry.topics.set(Topic.objects.filter(slug__in=cleaned["topics"]))
    entry.tags.all().delete()
    Tag.objects.bulk_create(
        [Tag(entry=entry, kind=TagKind.MEASURE, value=key) for key in cleaned["measures"]]
        + [Tag(entry=entry, kind=TagKind.SUPPLIER, value=name) for name in cleaned["suppliers"]]
        + [Tag(entry=entry, kind=TagKind.ORG_TYPE, value=t) for t in cleaned["org_types"]]
    )


def _record_revision(entry, by):
    Revision.objects.create(
        entry=entry,
        number=entry.version,
        by=None if entry.anonymous else by,
        content=_snapshot(entry),
        public=entry.published_at is not None,
    )


def _authorship(entry, by):
    return queries.authorships_for_editing(by).select_related("organisation").get(entry=entry)


def _identifying_hits(entry, organisation):
    texts = {"title": ("Title", entry.title)}
    texts.update({field: (label, getattr(entry, field)) for field, label in TEXT_FIELDS.items()})
    suppliers = [t.value for t in entry.tags.all() if t.kind == TagKind.SUPPLIER]
    texts["suppliers"] = ("Suppliers", "\n".join(suppliers))
    for update in entry.updates.all():
        texts[f"update-{update.pk}"] = ("A journey update", f"{update.title}\n{update.body}")
    unreadable = []
    for attachment in entry.attachments.all():
        key, label = f"attachment-{attachment.number}", f"The file “{attachment.title}”"
        text = attachments.text_of(attachment)
        if text is None:
            unreadable.append(identifying.unchecked(key, label, attachment.title))
        texts[key] = (label, f"{attachment.title}\n{text or ''}")
    return unreadable + identifying.find(texts, identifying.terms_for(organisation))


def identifying_hits(*, entry, by):
    """Words in the entry that could identify the organisation that wrote it,
    for its authors to remove before it is published anonymously."""
    return _identifying_hits(entry, _authorship(entry, by).organisation)


def _refuse_identifying(hits, key):
    if hits:
        words = ", ".join(sorted({f"“{hit.found}”" for hit in hits}))
        raise ValidationError(
            {key: f"Remove words that could identify your organisation before saving: {words}"}
        )


@transaction.atomic
def create_entry(*, by, organisation, content, reference=None):
    """A draft blueprint or redprint written at ``organisation``. Its author
    follows it, so they hear of updates and perspectives."""
    if not isinstance(organisation, Organisation):
        raise ValidationError({"organisation": "Choose the organisation you are writing for"})
    cleaned = _clean_content(content)
    now = timezone.now()
    entry = Entry(
        reference=reference or secrets.token_hex(5), created_at=now, updated_at=now, version=1
    )
    _apply(entry, cleaned, organisation)
    Authorship.objects.create(entry=entry, organisation=organisation, created_by=by)
    _record_revision(entry, by)
    Follow.objects.get_or_create(user=by, kind=FollowKind.ENTRY, value=entry.reference)
    return entry


@transaction.atomic
def edit_entry(*, entry, by, content):
    """A new revision of the entry. Once an entry has been published, whether it
    is anonymous cannot change; a published anonymous entry refuses words
    that could identify its organisation."""
    organisation = _authorship(entry, by).organisation
    cleaned = _clean_content(content)
    if entry.published_at is not None and cleaned["anonymous"] != entry.anonymous:
        raise ValidationError(
            {"anonymous": "Whether an entry is anonymous cannot change once it has been published"}
        )
    before = _snapshot(entry), entry.anonymous, entry.shown_org_type
    _apply(entry, cleaned, organisation)
    if (_snapshot(entry), entry.anonymous, entry.shown_org_type) == before:
        return entry
    if entry.anonymous and entry.status != EntryStatus.DRAFT:
        _refuse_identifying(_identifying_hits(entry, organisation), "title")
    entry.version += 1
    entry.updated_at = timezone.now()
    if entry.is_published:
        entry.last_activity_at = entry.updated_at
    entry.save()
    _record_revision(entry, by)
    search.index(entry)
    return entry


@transaction.atomic
def publish(*, entry, by):
    """Publish a draft. An anonymous redprint must first be free of words that
    identify its organisation, and then waits for a moderator."""
    if entry.status != EntryStatus.DRAFT:
        raise ValidationError({"entry": "Only a draft can be published"})
    organisation = _authorship(entry, by).organisation
    if entry.anonymous:
        hits = _identifying_hits(entry, organisation)
        if hits:
            raise ValidationError(
                {"entry": f"Remove the {len(hits)} words that could identify your organisation"}
            )
        entry.status = EntryStatus.IN_REVIEW
        entry.review_note = ""
        entry.save()
        return entry
    _go_live(entry)
    _notify_new_entry(entry, by)
    return entry


def _go_live(entry):
    now = timezone.now()
    entry.status = EntryStatus.PUBLISHED
    entry.published_at = entry.published_at or now
    entry.last_activity_at = now
    entry.save()
    entry.revisions.filter(number=entry.version).update(public=True)
    search.index(entry)


@transaction.atomic
def approve_entry(*, entry, by):
    """A moderator lets an anonymous redprint show."""
    if entry.status != EntryStatus.IN_REVIEW:
        raise ValidationError({"entry": "This entry is not waiting for a moderator"})
    _go_live(entry)
    _notify_new_entry(entry, by)
    return entry


@transaction.atomic
def return_entry(*, entry, by, reason):
    """A moderator sends an anonymous redprint back to its authors with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter what the authors need to change"})
    if entry.status != EntryStatus.IN_REVIEW:
        raise ValidationError({"entry": "This entry is not waiting for a moderator"})
    entry.status = EntryStatus.DRAFT
    entry.review_note = reason
    entry.save()
    return entry


@transaction.atomic
def add_attachment(*, entry, by, name, data, title=""):
    """Attach a file, its metadata removed, under a random name."""
    _authorship(entry, by)
    title = " ".join((title or "").split())
    if len(title) > TITLE_MAX_LENGTH:
        raise ValidationError(
            {"title": f"Description must be {TITLE_MAX_LENGTH} characters or fewer"}
        )
    try:
        stored = attachments.store(name, data)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    number = (
        entry.attachments.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    return Attachment.objects.create(
        entry=entry,
        number=number,
        title=title or f"Attachment {number}",
        stored_name=stored.stored_name,
        file_type=stored.file_type.extension,
        content_type=stored.file_type.content_type,
        size=stored.size,
        sha256=stored.sha256,
    )


@transaction.atomic
def remove_attachment(*, attachment, by):
    _authorship(attachment.entry, by)
    path = attachments.path_of(attachment)
    attachment.delete()
    transaction.on_commit(lambda: path.unlink(missing_ok=True))


@transaction.atomic
def post_update(*, entry, by, title, body):
    """A dated journey update. On an anonymous entry it may not contain words
    that identify the organisation."""
    organisation = _authorship(entry, by).organisation
    errors = {}
    title = " ".join((title or "").split())
    body = (body or "").strip()
    if not title:
        _add(errors, "title", "Enter a heading for the update, like “Month 3: go-live moved”")
    elif len(title) > TITLE_MAX_LENGTH:
        _add(errors, "title", f"Heading must be {TITLE_MAX_LENGTH} characters or fewer")
    if not body:
        _add(errors, "body", "Enter what has happened")
    elif len(body) > UPDATE_MAX_LENGTH:
        _add(errors, "body", f"The update must be {UPDATE_MAX_LENGTH:,} characters or fewer")
    if errors:
        raise ValidationError(errors)
    if entry.anonymous:
        terms = identifying.terms_for(organisation)
        _refuse_identifying(identifying.find({"title": ("Heading", title)}, terms), "title")
        _refuse_identifying(identifying.find({"body": ("Update", body)}, terms), "body")
    update = JourneyUpdate.objects.create(
        entry=entry, title=title, body=body, by=None if entry.anonymous else by
    )
    if entry.is_published:
        entry.last_activity_at = update.posted_at
        entry.save(update_fields=["last_activity_at"])
        search.index(entry)
        _notify(
            entry,
            NotificationKind.UPDATE,
            f"Journey update on “{entry.title}”: {title}",
            by,
            include_topics=True,
        )
    return update


@transaction.atomic
def add_perspective(*, entry, by, role, body):
    """A perspective, shown once a moderator approves it."""
    errors = {}
    if not entry.is_published:
        raise ValidationError({"entry": "Perspectives can only be added to published entries"})
    if role not in PerspectiveRole.values:
        _add(errors, "role", "Select whether you are a patient or carer leader, clinician or staff")
    elif role == PerspectiveRole.PATIENT_CARER and not may_give_patient_perspective(by):
        _add(
            errors, "role", "Only patient and carer leaders can add a patient or carer perspective"
        )
    body = (body or "").strip()
    if not body:
        _add(errors, "body", "Enter your perspective")
    elif len(body) > UPDATE_MAX_LENGTH:
        _add(errors, "body", f"Your perspective must be {UPDATE_MAX_LENGTH:,} characters or fewer")
    if errors:
        raise ValidationError(errors)
    return Perspective.objects.create(entry=entry, role=role, body=body, by=by)


@transaction.atomic
def review_perspective(*, perspective, by, approve):
    """A moderator approves a perspective (it shows, and followers hear of it) or does not."""
    if perspective.status != ModerationStatus.PENDING:
        raise ValidationError({"perspective": "This perspective has already been reviewed"})
    perspective.status = ModerationStatus.APPROVED if approve else ModerationStatus.REJECTED
    perspective.reviewed_at = timezone.now()
    perspective.save()
    if approve:
        entry = perspective.entry
        search.index(entry)
        _notify(
            entry,
            NotificationKind.PERSPECTIVE,
            f"New {perspective.get_role_display().lower()} perspective on “{entry.title}”",
            by,
            include_topics=False,
        )
    return perspective


# --- Following and notifications --------------------------------------------


def _check_followable(kind, value, by):
    if kind == FollowKind.TOPIC:
        known = Topic.objects.filter(slug=value).exists()
    elif kind == FollowKind.MEASURE:
        known = value in measure_keys()
    elif kind == FollowKind.ENTRY:
        known = queries.readable_entries(by).filter(reference=value).exists()
    elif kind == FollowKind.ORGANISATION:
        known = Organisation.objects.filter(ods_code=value).exists()
    else:
        raise ValidationError({"kind": "Choose a topic, success measure, entry or organisation"})
    if not known:
        raise ValidationError({"value": f"There is no {FollowKind(kind).label.lower()} “{value}”"})


@transaction.atomic
def follow(*, by, kind, value):
    _check_followable(kind, value, by)
    return Follow.objects.get_or_create(user=by, kind=kind, value=value)[0]


@transaction.atomic
def unfollow(*, by, kind, value):
    Follow.objects.filter(user=by, kind=kind, value=value).delete()


def _followers(entry, include_topics):
    wanted = Q(kind=FollowKind.ENTRY, value=entry.reference)
    if include_topics:
        wanted |= Q(kind=FollowKind.TOPIC, value__in=[t.slug for t in entry.topics.all()])
        measures = [t.value for t in entry.tags.all() if t.kind == TagKind.MEASURE]
        wanted |= Q(kind=FollowKind.MEASURE, value__in=measures)
        # Followers of an organisation never hear of its anonymous entries.
        if entry.organisation_id is not None:
            wanted |= Q(kind=FollowKind.ORGANISATION, value=entry.organisation.ods_code)
    return User.objects.filter(
        is_active=True, learning_follows__in=Follow.objects.filter(wanted)
    ).distinct()


def _notify(entry, kind, text, by, *, include_topics):
    Notification.objects.bulk_create(
        [
            Notification(user=user, entry=entry, kind=kind, text=text[:400])
            for user in _followers(entry, include_topics).exclude(pk=by.pk)
        ]
    )


def _notify_new_entry(entry, by):
    _notify(
        entry,
        NotificationKind.NEW_ENTRY,
        f"New {entry.get_kind_display().lower()}: {entry.title}",
        by,
        include_topics=True,
    )


@transaction.atomic
def mark_notifications_read(*, by):
    by.learning_notifications.filter(read_at__isnull=True).update(read_at=timezone.now())


def send_digests(*, site_url):
    """One email to each person with notifications not yet emailed, listing
    them; returns how many emails were sent."""
    sent = 0
    pending = Notification.objects.filter(emailed_at__isnull=True, user__is_active=True)
    for user in User.objects.filter(pk__in=pending.values("user")).order_by("pk"):
        with transaction.atomic():
            notifications = list(
                pending.filter(user=user).select_related("entry").select_for_update()
            )
            if not notifications:
                continue
            subject, message = digest_email(user, notifications, site_url)
            send_mail(
                subject=subject, message=message, from_email=None, recipient_list=[user.email]
            )
            Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
                emailed_at=timezone.now()
            )
            sent += 1
    return sent
