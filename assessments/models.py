from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from organisations.models import CareSetting


class Round(models.Model):
    """One assessment round, e.g. 2026/27, on one published framework version.

    A round of kind PUBLISHED holds scores NHS England published (measure level
    only); an ASSESSED round holds organisations' own answers."""

    class Kind(models.TextChoices):
        ASSESSED = "assessed", "Self-assessment"
        PUBLISHED = "published", "Published by NHS England"

    name = models.CharField(max_length=40, unique=True, help_text="e.g. 2026/27")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ASSESSED)
    framework_version = models.ForeignKey(
        "frameworks.FrameworkVersion", on_delete=models.PROTECT, related_name="rounds"
    )
    opens_on = models.DateField()
    closes_on = models.DateField()
    organisation_types = models.JSONField(
        default=list, help_text="Organisation types that take part."
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_rounds",
        help_text="The round answers are carried from and changes are measured against.",
    )
    source_note = models.TextField(blank=True, help_text="Where published figures came from.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was closed early, before its closing date."
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-opens_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="round_closes_after_it_opens"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def slug(self):
        """The name as it appears in addresses: 2026/27 → 2026-27."""
        return self.name.replace("/", "-")

    @property
    def status(self):
        from assessments.workflow import round_status

        return round_status(self)

    @property
    def structure_on(self):
        """The date whose ICS structure this round is shown with."""
        return self.opens_on


# The statuses live with the lifecycle in assessments.workflow, which reads
# these models, so the fields below reach them when first used, not on import.
def statuses():
    from assessments.workflow import AssessmentStatus

    return AssessmentStatus.choices


def draft():
    from assessments.workflow import AssessmentStatus

    return AssessmentStatus.DRAFT


class Assessment(models.Model):
    """One organisation's assessment for one care setting in one round."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="assessments")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="assessments"
    )
    care_setting = models.CharField(max_length=20, choices=CareSetting.choices)
    status = models.CharField(max_length=20, choices=statuses, default=draft)
    status_changed_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "organisation__name", "care_setting"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organisation", "care_setting"],
                name="one_assessment_per_setting_per_round",
            ),
        ]
        indexes = [models.Index(fields=["round", "status"])]

    def __str__(self):
        return f"{self.organisation.name}, {self.get_care_setting_display()}, {self.round}"


class Transition(models.Model):
    """An append-only record of a workflow step: who, when, from, to, why."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(
        max_length=20,
        choices=statuses,
        blank=True,
        help_text="Empty for the row recording that the assessment was opened.",
    )
    to_status = models.CharField(max_length=20, choices=statuses)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["assessment", "at", "pk"]

    def __str__(self):
        return f"{self.assessment}: {self.from_status} → {self.to_status}"


class Answer(models.Model):
    """The current answer to one domain. Every change bumps ``version`` and
    appends an ``AnswerRevision``; a save against a stale version is refused."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    domain = models.ForeignKey(
        "frameworks.Domain", on_delete=models.PROTECT, related_name="answers"
    )
    version = models.PositiveIntegerField(default=1)
    level = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Level achieved: 0 when no level's elements are all met."
    )
    not_applicable = models.BooleanField(default=False)
    not_applicable_reason = models.TextField(blank=True)
    comment = models.TextField(blank=True)
    carried_forward = models.BooleanField(
        default=False, help_text="Carried from the previous round and not yet confirmed or changed."
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    updated_at = models.DateTimeField(default=timezone.now)
    met_elements = models.ManyToManyField(
        "frameworks.Element", through="MetElement", related_name="+"
    )
    evidence = models.ManyToManyField("Evidence", related_name="answers", blank=True)

    class Meta:
        ordering = ["assessment", "domain__measure__number", "domain__position"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "domain"], name="one_answer_per_domain"),
            models.CheckConstraint(
                condition=Q(not_applicable=False) | Q(level__isnull=True),
                name="not_applicable_has_no_level",
            ),
        ]

    def __str__(self):
        return f"{self.domain} in {self.assessment}"


class MetElement(models.Model):
    """One element currently ticked as met in an answer."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="met")
    element = models.ForeignKey("frameworks.Element", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["answer", "element"], name="element_met_once")
        ]

    def __str__(self):
        return f"element {self.element_id} met in answer {self.answer_id}"


class AnswerRevision(models.Model):
    """An answer as it stood after one change. Never updated or deleted."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    at = models.DateTimeField(default=timezone.now)
    met_elements = models.JSONField(default=list, help_text="Element ids, e.g. ['1a', '1b', '2a'].")
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    not_applicable = models.BooleanField(default=False)
    not_applicable_reason = models.TextField(blank=True)
    comment = models.TextField(blank=True)
    evidence_ids = models.JSONField(default=list)
    note = models.CharField(
        max_length=200, blank=True, help_text="e.g. carried forward from 2025/26"
    )

    class Meta:
        ordering = ["answer", "version"]
        constraints = [
            models.UniqueConstraint(fields=["answer", "version"], name="one_revision_per_version")
        ]

    def __str__(self):
        return f"{self.answer} v{self.version}"


class Evidence(models.Model):
    """A note, link or file held by an organisation for a round; one piece can
    support several answers, in any of its care-setting assessments."""

    class Kind(models.TextChoices):
        NOTE = "note", "Note"
        LINK = "link", "Link"
        FILE = "file", "File"

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="evidence"
    )
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="evidence")
    number = models.PositiveIntegerField(
        help_text="Numbered from 1 within the organisation and round, as people cite it."
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=200)
    note = models.TextField(blank=True, help_text="Markdown; rendered sanitised.")
    url = models.URLField(max_length=2000, blank=True)
    stored_name = models.CharField(
        max_length=100, blank=True, help_text="Random name under MEDIA_ROOT."
    )
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-added_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "round", "number"], name="evidence_number_once"
            )
        ]

    def __str__(self):
        return self.title


class KeptInput(models.Model):
    """What someone sent from a form after their session had ended, kept
    under a one-time token until they sign in again and come back for it.
    Only they can take it back: ``user`` is the person the request proved it
    came from."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True)
    path = models.CharField(max_length=500)
    data = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"input kept for {self.path}"
