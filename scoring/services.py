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


# Above this many changed assessments in one round, one set-based pass over
# the whole round is cheaper than one pass per assessment.
ROUND_PASS_FROM = 50


@transaction.atomic
def many_answers_changed(*, assessments):
    """After a bulk write (an import): the scores of every assessment touched."""
    by_round = {}
    for assessment in assessments:
        by_round.setdefault(assessment.round_id, []).append(assessment)
    for touched in by_round.values():
        round_ = touched[0].round
        if len(touched) >= ROUND_PASS_FROM:
            calculation.recompute_round(round_)
        else:
            for assessment in touched:
                calculation.recompute_assessment(assessment)
        if any(a.status == AssessmentStatus.PUBLISHED for a in touched):
            benchmarking.recompute_round(round_)


@transaction.atomic
def publication_changed(*, round_):
    """After an assessment is published or taken back: the round's peer figures."""
    benchmarking.recompute_round(round_)
