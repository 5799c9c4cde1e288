"""How benchmarking follows the assessment lifecycle (connected in apps.py)."""

from django.db import connection, transaction

from benchmarking import queries, tasks


def publication_changed(sender, *, round_id, **kwargs):
    """Published assessments changed: recompute the round's peer figures in the
    background, once the change is committed and the worker can see it. Many
    publications in one transaction (a closing round, the demo) queue one task."""
    tasks.figures_requested(round_id=round_id)
    if not any(
        isinstance(callback, QueueFigures) and callback.round_id == round_id and not callback.ran
        for _, callback, *_ in connection.run_on_commit
    ):
        transaction.on_commit(QueueFigures(round_id))


def similar_organisations_changed(sender, **kwargs):
    """Similar groups changed: every round with published assessments gets its
    peer figures recomputed, as after a publication."""
    for round_id in queries.rounds_with_published_assessments():
        publication_changed(sender, round_id=round_id)


class QueueFigures:
    """The on-commit step that queues a round's peer figures, once."""

    def __init__(self, round_id):
        self.round_id = round_id
        self.ran = False

    def __call__(self):
        self.ran = True
        tasks.recompute_peer_figures.enqueue(self.round_id)
