"""Keeping stored scores and benchmarks in step with answers."""

from django.db import transaction

from assessments.models import AssessmentStatus, Round
from benchmarking import calculation as benchmarking
from scoring import calculation


@transaction.atomic
def recompute_round(*, round_):
    """Every score and benchmark of one round."""
    calculation.recompute_round(round_)
    benchmarking.recompute_round(round_)


def recompute_all(*, progress=None):
    rounds = list(Round.objects.order_by("opens_on"))
    for round_ in rounds:
        recompute_round(round_=round_)
        if progress:
            progress(round_)
    return rounds


@transaction.atomic
def answers_changed(*, assessment):
    """After an answer changes: that assessment's scores. Peer figures read
    published assessments only, so they move only when a published one does."""
    calculation.recompute_assessment(assessment)
    if assessment.status == AssessmentStatus.PUBLISHED:
        benchmarking.recompute_round(assessment.round)


@transaction.atomic
def publication_changed(*, round_):
    """After an assessment is published or taken back: the round's peer figures."""
    benchmarking.recompute_round(round_)
