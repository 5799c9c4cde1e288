"""Keeping stored scores in step with answers. Peer figures follow publication
through the benchmarking app's own receiver (see ``benchmarking.receivers``)."""

from django.db import transaction

from scoring import calculation


@transaction.atomic
def recompute_round(*, round_):
    """Every stored score of one round."""
    calculation.recompute_round(round_)


@transaction.atomic
def answers_changed(*, assessment):
    """After an answer changes: that assessment's scores."""
    calculation.recompute_assessment(assessment)


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
        if len(touched) >= ROUND_PASS_FROM:
            calculation.recompute_round(touched[0].round)
        else:
            for assessment in touched:
                calculation.recompute_assessment(assessment)
