"""Stored scores. Pages read these; they are computed by set-based SQL in
``scoring.calculation`` (or imported, for figures NHS England published).

These tables are derived: every row is inserted by a join over rows that
exist, and a whole round's are replaced at once. Their foreign keys therefore
have no database constraint (``db_constraint=False``): at national scale the
deferred checks of 500,000 domain scores cost more than inserting them. The
ORM still deletes them with their assessment."""

from django.db import models


def derived_from(to, *, related_name="+", **options):
    """A foreign key of a derived table: cascades through the ORM, with no
    database constraint (see the module's docstring)."""
    return models.ForeignKey(
        to, on_delete=models.CASCADE, related_name=related_name, db_constraint=False, **options
    )


class Source(models.TextChoices):
    COMPUTED = "computed", "Computed by Northstar from answers"
    PUBLISHED = "published", "Published by NHS England"


class DomainScore(models.Model):
    """The level achieved in one answered, applicable national domain."""

    # The unique constraint indexes the assessment; nothing looks scores up by domain.
    assessment = derived_from(
        "assessments.Assessment", related_name="domain_scores", db_index=False
    )
    domain = derived_from("frameworks.Domain", db_index=False)
    level = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "domain"], name="one_domain_score")
        ]

    def __str__(self):
        return f"{self.domain_id}: {self.level}"


class MeasureScore(models.Model):
    """A measure's score: the weighted mean of its scored domains, with how
    many applicable domains were scored (the coverage)."""

    # The unique constraint indexes the assessment.
    assessment = derived_from(
        "assessments.Assessment", related_name="measure_scores", db_index=False
    )
    measure = derived_from("frameworks.Measure")
    score = models.FloatField(null=True, blank=True)
    scored_domains = models.PositiveSmallIntegerField(default=0)
    applicable_domains = models.PositiveSmallIntegerField(default=0)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.COMPUTED)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "measure"], name="one_measure_score")
        ]

    def __str__(self):
        return f"{self.measure_id}: {self.score}"

    @property
    def coverage(self):
        return self.scored_domains / self.applicable_domains if self.applicable_domains else None


class OverallScore(models.Model):
    """An assessment's overall score as the framework states it, with the
    mean of its measure scores beside it, and the score over domains
    comparable with the previous round."""

    assessment = models.OneToOneField(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="overall_score"
    )
    score = models.FloatField(null=True, blank=True)
    mean_of_measures = models.FloatField(null=True, blank=True)
    comparable_score = models.FloatField(
        null=True, blank=True, help_text="Over domains comparable with the previous round only."
    )
    scored_domains = models.PositiveSmallIntegerField(default=0)
    applicable_domains = models.PositiveSmallIntegerField(default=0)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.COMPUTED)

    def __str__(self):
        return f"{self.assessment_id}: {self.score}"

    @property
    def coverage(self):
        return self.scored_domains / self.applicable_domains if self.applicable_domains else None
