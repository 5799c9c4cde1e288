"""How benchmarking follows the assessment lifecycle (connected in apps.py)."""

from django.db import transaction

from benchmarking import tasks


def publication_changed(sender, *, round_id, **kwargs):
    """Published assessments changed: recompute the round's peer figures in the
    background, once the change is committed and the worker can see it."""
    tasks.figures_requested(round_id=round_id)
    transaction.on_commit(lambda: tasks.recompute_peer_figures.enqueue(round_id))
