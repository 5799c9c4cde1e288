"""Keeping stored scores in step with answers. Peer figures follow publication
through the benchmarking app's own receiver (see ``benchmarking.receivers``)."""

from django.db import transaction

from assessments.models import Assessment
from scoring import calculation


@transaction.atomic
def recompute_round(*, round_):
    """Every stored score of one round."""
    calculation.recompute_round(round_)


@transaction.atomic
def answers_changed(*, assessment):
    """After an answer changes: that assessment's scores. Only a draft's
    answers change, so peer figures, which read published assessments, stay."""
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
                answers_changed(assessment=assessment)


def scores_follow_answers(sender, *, assessment_ids, **kwargs):
    """The receiver of ``assessments.signals.answers_changed``: in the same
    transaction as the answers, so no page shows answers without their scores."""
    many_answers_changed(
        assessments=Assessment.objects.filter(pk__in=assessment_ids).select_related(
            "round__framework_version"
        )
    )
