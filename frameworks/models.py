from django.db import models


class DomainLevel(models.TextChoices):
    """Whether a domain is answered by an organisation or by an ICS."""

    ORGANISATION = "organisation", "Organisation"
    ICS = "ics", "Integrated care system"


class Framework(models.Model):
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)

    def __str__(self):
        return self.title


class FrameworkVersion(models.Model):
    """One published (or draft) version of a framework. A published version
    never changes: a changed file needs a new version number."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="versions")
    version = models.CharField(max_length=20, help_text="YEAR.NUMBER, e.g. 2025.1")
    year = models.PositiveSmallIntegerField()
    revision = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices)
    summary = models.TextField(blank=True)
    level_names = models.JSONField(default=dict, help_text="Name of each maturity level 1–5.")
    scoring = models.JSONField(default=dict, help_text="The scoring method, as in the file.")
    content_hash = models.CharField(max_length=64)
    source = models.JSONField(help_text="The file as loaded, for reproducibility.")
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["framework", "-year", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "version"], name="unique_version"),
        ]

    def __str__(self):
        return f"{self.framework.title} {self.version}"

    @property
    def sort_key(self):
        return (self.year, self.revision)


class Measure(models.Model):
    """One of the seven WGLL success measures, within one framework version."""

    framework_version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="measures"
    )
    key = models.SlugField(max_length=60)
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=100)
    published_name = models.CharField(
        max_length=100, blank=True, help_text="The name NHS England's DMA publishes it under."
    )
    ics_expectation = models.TextField()
    organisation_expectation = models.TextField()

    class Meta:
        ordering = ["framework_version", "number"]
        constraints = [
            models.UniqueConstraint(fields=["framework_version", "key"], name="unique_measure"),
        ]

    def __str__(self):
        return self.name


class LocalDomainSet(models.Model):
    """Domains an ICS adds beside the national core ("room for local needs").
    Its members see them; they never count in national scores."""

    framework_version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="local_sets"
    )
    ics = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="local_domain_sets"
    )
    title = models.CharField(max_length=200)
    content_hash = models.CharField(max_length=64)
    source = models.JSONField()
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["framework_version", "ics"], name="one_local_set_per_ics"
            ),
        ]

    def __str__(self):
        return self.title


class Domain(models.Model):
    """The unit that is answered: one maturity question with levels 1–5."""

    framework_version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="domains"
    )
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="domains")
    local_set = models.ForeignKey(
        LocalDomainSet, on_delete=models.CASCADE, null=True, blank=True, related_name="domains"
    )
    key = models.SlugField("id", max_length=80, help_text="Stable across versions.")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=150)
    question = models.TextField()
    help_text = models.TextField(blank=True)
    level = models.CharField(max_length=20, choices=DomainLevel.choices)
    care_settings = models.JSONField(default=list)
    weight = models.DecimalField(max_digits=6, decimal_places=3)
    evidence_required_from = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Claims at or above this level need evidence."
    )
    allows_not_applicable = models.BooleanField(default=False)
    comparable_since = models.CharField(
        max_length=20, help_text="First version whose wording makes year-on-year comparison fair."
    )

    class Meta:
        ordering = ["framework_version", "measure__number", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework_version", "key"], name="unique_domain"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_local(self):
        return self.local_set_id is not None


class DomainSetting(models.Model):
    """A care setting a domain applies to: the domain's ``care_settings`` as
    rows, so that scoring can join on them in SQL."""

    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="settings")
    care_setting = models.CharField(max_length=20)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["domain", "care_setting"], name="unique_domain_setting"
            ),
        ]

    def __str__(self):
        return f"{self.domain.key} in {self.care_setting}"


class Element(models.Model):
    """A checkable statement. A level counts only when all its elements are met."""

    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="elements")
    level = models.PositiveSmallIntegerField()
    key = models.CharField("id", max_length=10, help_text="e.g. 3b: level 3, second element")
    position = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["domain", "level", "position"]
        constraints = [
            models.UniqueConstraint(fields=["domain", "key"], name="unique_element"),
        ]

    def __str__(self):
        return f"{self.key}: {self.text}"


class ConsistencyRule(models.Model):
    """A claim at or above one level of a domain needs another domain at or
    above a level: e.g. closed-loop medicines at 4 needs the EPR at 3."""

    framework_version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="consistency_rules"
    )
    key = models.SlugField(max_length=80)
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="rules_as_claim")
    at_least = models.PositiveSmallIntegerField()
    requires_domain = models.ForeignKey(
        Domain, on_delete=models.CASCADE, related_name="rules_as_requirement"
    )
    requires_at_least = models.PositiveSmallIntegerField()
    explanation = models.TextField(blank=True)

    class Meta:
        ordering = ["framework_version", "key"]
        constraints = [
            models.UniqueConstraint(fields=["framework_version", "key"], name="unique_rule"),
        ]

    def __str__(self):
        return self.key


class BoardQuestion(models.Model):
    """The eight questions a board asks itself about building a digital organisation."""

    framework_version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="board_questions"
    )
    number = models.PositiveSmallIntegerField()
    key = models.SlugField(max_length=60)
    text = models.TextField()
    prompt = models.TextField(blank=True)

    class Meta:
        ordering = ["framework_version", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework_version", "number"], name="unique_board_question"
            ),
        ]

    def __str__(self):
        return self.text
