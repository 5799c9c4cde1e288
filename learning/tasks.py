"""Background tasks of the learning library."""

from django.conf import settings
from django_tasks import task

from core.tasks import schedule_daily, with_retries
from learning import services


@task()
def send_digests():
    """Email each person their notifications not yet emailed, then queue the
    next daily run. A second run sends nothing twice: each notification is
    marked emailed with its email."""
    sent = with_retries(services.send_digests, site_url=settings.SITE_URL)
    schedule_daily()
    return f"Sent {sent} digest email{'s' if sent != 1 else ''}."
