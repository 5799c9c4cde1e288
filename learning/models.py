"""The learning library: blueprints (what was built and how) and redprints
(what went wrong and what others should do differently).

Anonymity is kept by where things are stored. ``Entry.organisation`` is the
organisation shown to readers and is empty for an anonymous entry; the real
link between an entry and the organisation that wrote it is ``Authorship``,
stored apart, with no reverse accessor, and read only through
``learning.queries.authorships_for_editing`` by the authoring organisation's own
people. Revisions and journey updates of an anonymous entry record no person.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils import timezone

from organisations.models import OrganisationType


class Topic(models.Model):
    """One of the managed list of topics (EPR, e-prescribing, …)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class EntryKind(models.TextChoices):
    BLUEPRINT = "blueprint", "Blueprint"
    REDPRINT = "redprint", "Redprint"


class Outcome(models.TextChoices):
    SUCCEEDED = "succeeded", "Succeeded"
    PARTLY = "partly", "Partly succeeded"
    FAILED = "failed", "Failed"
    STOPPED = "stopped", "Stopped"
    ONGOING = "ongoing", "Ongoing"


class EntryStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "Waiting for a moderator"
    PUBLISHED = "published", "Published"


# The written parts of an entry, in the order they are shown, with their headings.
TEXT_FIELDS = {
    "summary": "Summary",
    "context": "Context",
    "what_was_done": "What was done",
    "what_went_well": "What went well",
    "what_went_wrong": "What went wrong",
    "do_differently": "What others should do differently",
    "costs_and_timescales": "Costs and timescales",
    "suppliers_and_products": "Suppliers and products",
    "outcomes": "Outcomes",
    "links": "Links",
}


class Entry(models.Model):
    reference = models.SlugField(
        max_length=40, unique=True, help_text="Random, or fixed for demo entries: in addresses."
    )
    kind = models.CharField(max_length=10, choices=EntryKind.choices)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    context = models.TextField(blank=True)
    what_was_done = models.TextField(blank=True)
    what_went_well = models.TextField(blank=True)
    what_went_wrong = models.TextField(blank=True)
    do_differently = models.TextField(blank=True)
    costs_and_timescales = models.TextField(blank=True)
    suppliers_and_products = models.TextField(blank=True)
    outcomes = models.TextField(blank=True)
    links = models.TextField(blank=True, help_text="Web addresses, one a line.")
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="entries")
    anonymous = models.BooleanField(default=False)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="learning_entries",
        help_text="The organisation shown to readers; empty when anonymous.",
    )
    shown_org_type = models.CharField(
        max_length=20,
        choices=OrganisationType.choices,
        blank=True,
        help_text="On an anonymous entry, the organisation type, only if the author chose to show it.",
    )
    status = models.CharField(max_length=10, choices=EntryStatus.choices, default=EntryStatus.DRAFT)
    review_note = models.TextField(blank=True, help_text="Why a moderator sent it back.")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(
        null=True, blank=True, help_text="Published, edited or updated: a live journey is recent."
    )

    class Meta:
        ordering = ["-last_activity_at", "-pk"]
        verbose_name_plural = "entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(anonymous=False) | Q(kind="redprint"),
                name="only_redprints_are_anonymous",
            ),
            models.CheckConstraint(
                condition=(Q(anonymous=True) & Q(organisation__isnull=True))
                | (Q(anonymous=False) & Q(organisation__isnull=False)),
                name="anonymous_entries_show_no_organisation",
            ),
            models.CheckConstraint(
                condition=Q(anonymous=True) | Q(shown_org_type=""),
                name="shown_type_only_when_anonymous",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="published_entries_have_a_date",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_published(self):
        return self.status == EntryStatus.PUBLISHED


class Authorship(models.Model):
    """Which organisation wrote an entry, and who started it. Stored apart from
    the entry and never reached from it: see the module's docstring."""

    entry = models.OneToOneField(Entry, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self):
        return f"authorship of entry {self.entry_id}"


class TagKind(models.TextChoices):
    MEASURE = "measure", "Success measure"
    SUPPLIER = "supplier", "Supplier"
    ORG_TYPE = "org_type", "Organisation type"


class Tag(models.Model):
    """A success measure (by key), a supplier or an organisation type the entry applies to."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="tags")
    kind = models.CharField(max_length=10, choices=TagKind.choices)
    value = models.CharField(max_length=100)

    class Meta:
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "kind", "value"], name="tag_once_per_entry")
        ]
        indexes = [models.Index(fields=["kind", "value"])]

    def __str__(self):
        return f"{self.kind}: {self.value}"


class Revision(models.Model):
    """An entry as it stood after one change. Never updated or deleted.
    ``public`` revisions (from the first publication on) are shown to readers;
    drafting stays private to the authors."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty on an anonymous entry.",
    )
    at = models.DateTimeField(default=timezone.now)
    content = models.JSONField(help_text="Title, kind, written parts, outcome and tags.")
    public = models.BooleanField(default=False)

    class Meta:
        ordering = ["entry", "number"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "number"], name="one_revision_per_number")
        ]

    def __str__(self):
        return f"{self.entry} revision {self.number}"


class Attachment(models.Model):
    """A file with its metadata stripped, stored under a random name. Its
    original file name is not kept."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="attachments")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    stored_name = models.CharField(max_length=100, unique=True)
    file_type = models.CharField(max_length=10)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["entry", "number"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "number"], name="one_attachment_per_number")
        ]

    def __str__(self):
        return self.title

    @property
    def download_name(self):
        return f"attachment-{self.number}.{self.file_type}"


class JourneyUpdate(models.Model):
    """A short dated post while the programme runs."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="updates")
    title = models.CharField(max_length=200)
    body = models.TextField()
    posted_at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty on an anonymous entry.",
    )

    class Meta:
        ordering = ["entry", "posted_at", "pk"]

    def __str__(self):
        return self.title


class PerspectiveRole(models.TextChoices):
    PATIENT_CARER = "patient_carer", "Patient or carer leader"
    CLINICIAN = "clinician", "Clinician"
    STAFF = "staff", "Staff"


class ModerationStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a moderator"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Not published"


class Perspective(models.Model):
    """A patient's, carer's, clinician's or member of staff's view of an entry,
    shown with their role only, once a moderator approves it."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="perspectives")
    role = models.CharField(max_length=20, choices=PerspectiveRole.choices)
    body = models.TextField()
    status = models.CharField(
        max_length=10, choices=ModerationStatus.choices, default=ModerationStatus.PENDING
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["entry", "submitted_at", "pk"]

    def __str__(self):
        return f"{self.get_role_display()} perspective on entry {self.entry_id}"


class FollowKind(models.TextChoices):
    TOPIC = "topic", "Topic"
    MEASURE = "measure", "Success measure"
    ENTRY = "entry", "Entry"
    ORGANISATION = "organisation", "Organisation"


class Follow(models.Model):
    """A person follows a topic (slug), measure (key), entry (reference) or
    organisation (ODS code)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learning_follows"
    )
    kind = models.CharField(max_length=20, choices=FollowKind.choices)
    value = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "value"], name="follow_once")
        ]

    def __str__(self):
        return f"{self.user_id} follows {self.kind} {self.value}"


class NotificationKind(models.TextChoices):
    NEW_ENTRY = "new_entry", "New entry"
    UPDATE = "update", "Journey update"
    PERSPECTIVE = "perspective", "New perspective"


class Notification(models.Model):
    """Something new on an entry someone follows. Its words come only from
    what readers can see."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learning_notifications"
    )
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    text = models.CharField(max_length=400)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "emailed_at"])]

    def __str__(self):
        return self.text


class SearchDocument(models.Model):
    """The searchable text of a published entry: its own words, its journey
    updates and approved perspectives, nothing about who wrote it.
    ``vector`` is filled on PostgreSQL; SQLite keeps an FTS5 table instead."""

    entry = models.OneToOneField(
        Entry, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    title = models.TextField()
    body = models.TextField()
    vector = SearchVectorField(null=True)

    def __str__(self):
        return self.title
