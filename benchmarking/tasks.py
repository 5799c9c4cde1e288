"""Background tasks that replace a round's stored peer figures. Each writes a
round's figures in one transaction, so no page ever shows a half-written round,
and each can run twice to the same result."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from assessments.models import Round
from benchmarking import calculation
from benchmarking.models import FiguresUpdate
from core.tasks import GaveUp, InputGone, with_retries
from scoring import services as scoring


def figures_requested(*, round_id):
    """Mark the round's figures as updating, inside the caller's transaction, so
    its pages say so from the moment the change that asked for it is seen."""
    marker, created = FiguresUpdate.objects.get_or_create(
        round_id=round_id, defaults={"since": timezone.now()}
    )
    if not created:
        FiguresUpdate.objects.filter(pk=marker.pk).update(requests=F("requests") + 1)


def queue_round_recompute(*, round_):
    """Queue the whole-round recompute: the round's pages say it is updating."""
    with transaction.atomic():
        figures_requested(round_id=round_.pk)
        transaction.on_commit(lambda: recompute_round.enqueue(round_.pk))


@task()
def recompute_peer_figures(round_id):
    """The round's peer figures, from its published assessments' stored scores:
    queued after assessments of the round are published or taken back."""
    return _replace_figures(round_id, calculation.recompute_round)


@task()
def recompute_round(round_id):
    """The round's stored scores from its answers, then its peer figures: after
    a scoring rule or reference data changed."""
    return _replace_figures(round_id, _scores_then_figures)


def _scores_then_figures(round_):
    scoring.recompute_round(round_=round_)
    calculation.recompute_round(round_)


def _replace_figures(round_id, recompute):
    found = Round.objects.filter(pk=round_id).first()
    if found is None:
        raise _gone(round_id)
    seen = FiguresUpdate.objects.filter(round=found).values_list("requests", flat=True).first()
    try:
        with_retries(_replace_atomically, found.pk, seen, recompute)
    except GaveUp:
        _settle(found.pk, seen)  # the pages stop saying "updating"; `northstar tasks` shows why
        raise
    return f"Figures of round {found.name} recomputed."


def _replace_atomically(round_id, seen, recompute):
    with transaction.atomic():
        # Locking the round row runs one recompute of a round at a time.
        round_ = Round.objects.select_for_update().filter(pk=round_id).first()
        if round_ is None:
            raise _gone(round_id)
        recompute(round_)
        _settle(round_id, seen)


def _settle(round_id, seen):
    """Clear the "updating" mark, unless a newer request came in meanwhile."""
    FiguresUpdate.objects.filter(round_id=round_id, requests=seen).delete()


def _gone(round_id):
    return InputGone(f"Round {round_id} no longer exists, so there were no figures to recompute.")
