"""Stored peer figures, computed by set-based SQL in
``benchmarking.calculation`` from published measure scores. Derived tables,
replaced a round at a time: like the stored scores (see ``scoring.models``),
their foreign keys have no database constraint."""

from django.db import models

from scoring.models import derived_from


class PeerGroup(models.TextChoices):
    NATIONAL = "national", "National"
    SECTOR = "sector", "Sector"
    ICS = "ics", "ICS"
    SIMILAR = "similar", "Similar organisations"


PEER_GROUP_RULES = {
    PeerGroup.NATIONAL: "Every organisation answering for the same care setting (or every ICS).",
    PeerGroup.SECTOR: "Organisations of the same type (for example acute trusts), for the same care setting.",
    PeerGroup.ICS: (
        "The other members of the same integrated care system, by the structure in force when "
        "the round opened, across their care settings."
    ),
    PeerGroup.SIMILAR: (
        "Its published list of similar trusts, topped up to ten with the trusts of its type "
        "nearest in size (general and acute beds, or else annual expenditure or staff), for the "
        "same care setting; its sector when Northstar holds neither."
    ),
}


class PeerMember(models.Model):
    """One published assessment's place in one peer group of its round."""

    # The index below starts with the round; the unique constraint, with the assessment.
    round = derived_from("assessments.Round", db_index=False)
    assessment = derived_from("assessments.Assessment", related_name="peer_groups", db_index=False)
    group_type = models.CharField(max_length=20, choices=PeerGroup.choices)
    group_key = models.CharField(max_length=60)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "group_type", "group_key"], name="one_membership_per_group"
            ),
        ]
        indexes = [models.Index(fields=["round", "group_type", "group_key"])]

    def __str__(self):
        return f"{self.assessment_id} in {self.group_type} {self.group_key}"


class PeerStatistic(models.Model):
    """The spread of one measure's scores across one peer group in one round."""

    round = derived_from("assessments.Round", db_index=False)  # the unique constraint indexes it
    group_type = models.CharField(max_length=20, choices=PeerGroup.choices)
    group_key = models.CharField(max_length=60)
    measure = derived_from("frameworks.Measure")
    peers = models.PositiveIntegerField()
    minimum = models.FloatField()
    lower_quartile = models.FloatField()
    median = models.FloatField()
    upper_quartile = models.FloatField()
    maximum = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "group_type", "group_key", "measure"], name="one_statistic"
            ),
        ]

    def __str__(self):
        return f"{self.group_type} {self.group_key} {self.measure_id}: median {self.median}"


class Benchmark(models.Model):
    """Where one published assessment stands on one measure within one peer group."""

    # The round is the assessment's, held here so a round's benchmarks are
    # replaced through one index; the unique constraint indexes the assessment.
    round = derived_from("assessments.Round")
    assessment = derived_from("assessments.Assessment", related_name="benchmarks", db_index=False)
    measure = derived_from("frameworks.Measure", db_index=False)
    group_type = models.CharField(max_length=20, choices=PeerGroup.choices)
    group_key = models.CharField(max_length=60)
    score = models.FloatField()
    percentile = models.FloatField(
        help_text="Percent rank among peers, 0 (lowest) to 100 (highest)."
    )
    quartile = models.PositiveSmallIntegerField(help_text="1 = lowest quarter, 4 = highest.")
    previous_score = models.FloatField(null=True, blank=True)
    previous_quartile = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "measure", "group_type"], name="one_benchmark"
            ),
        ]

    def __str__(self):
        return f"{self.assessment_id} {self.measure_id} {self.group_type}: {self.percentile}"

    @property
    def change(self):
        return None if self.previous_score is None else self.score - self.previous_score


class FiguresUpdate(models.Model):
    """A round whose peer figures wait to be recomputed by a background task:
    its pages say "figures updating since" until the task has replaced them."""

    round = models.OneToOneField(
        "assessments.Round",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        db_constraint=False,
    )
    since = models.DateTimeField()
    # Counts requests, so a task clears only the requests it has seen through.
    requests = models.PositiveIntegerField(default=1)

    def __str__(self):
        return f"Figures of round {self.round_id} updating since {self.since}"
