"""Background tasks of the assessment lifecycle."""

from django_tasks import task

from assessments import workflow
from assessments.models import Round
from core.tasks import InputGone, with_retries


@task()
def close_round(round_id):
    """Close the round and publish its validated assessments; publication then
    queues the round's peer figures. Closing a closed round changes nothing."""
    return with_retries(_close, round_id)


def _close(round_id):
    found = Round.objects.filter(pk=round_id).first()
    if found is None:
        raise InputGone(f"Round {round_id} no longer exists, so it was not closed.")
    if found.closed_at is not None:
        return f"Round {found.name} was already closed."
    try:
        published = workflow.close_round(round=found, by=None)
    except workflow.AssessmentError as refused:  # closed meanwhile by someone else
        return refused.message
    return f"Round {found.name} closed; {published} validated assessments published."
