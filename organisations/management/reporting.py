"""What the import commands show: a progress bar on large files, and every
problem when a file is refused."""

from contextlib import contextmanager

from django.core.management.base import CommandError
from rich.console import Console
from rich.progress import Progress

from assessments.models import AssessmentStatus, Round
from benchmarking import calculation as benchmarking

LARGE_FILE_ROWS = 500


@contextmanager
def progress_bar(description):
    """Yields a ``progress(done, total)`` callback for the import services."""
    bar = Progress(console=Console(stderr=True), transient=True)
    task = None

    def progress(done, total):
        nonlocal task
        if total < LARGE_FILE_ROWS:
            return
        if task is None:
            bar.start()
            task = bar.add_task(description, total=total)
        bar.update(task, completed=done)

    try:
        yield progress
    finally:
        bar.stop()


def rejected(path, error):
    """A CommandError listing every problem, so the command exits non-zero."""
    count = len(error.messages)
    return CommandError(
        "\n".join(error.messages)
        + f"\n{count} problem{'s' if count != 1 else ''}: nothing was imported from {path}."
    )


def refresh_peer_figures():
    """After similar organisations change: the peer figures of every round
    with published assessments, so stored similar groups follow them."""
    rounds = Round.objects.filter(assessments__status=AssessmentStatus.PUBLISHED).distinct()
    for round_ in rounds:
        benchmarking.recompute_round(round_)
    return len(rounds)
