"""How benchmarking follows the assessment lifecycle (connected in apps.py)."""

from functools import partial

from django.db import connection, transaction

from benchmarking import tasks


def publication_changed(sender, *, round_id, **kwargs):
    """Published assessments changed: recompute the round's peer figures in the
    background, once the change is committed and the worker can see it. Many
    publications in one transaction (a closing round, the demo) queue one task."""
    tasks.figures_requested(round_id=round_id)
    if round_id not in _rounds_queued_on_commit():
        transaction.on_commit(partial(_queue, round_id))


def _queue(round_id):
    tasks.recompute_peer_figures.enqueue(round_id)


def _rounds_queued_on_commit():
    return {
        callback.args[0]
        for _, callback, *_ in connection.run_on_commit
        if isinstance(callback, partial) and callback.func is _queue
    }
