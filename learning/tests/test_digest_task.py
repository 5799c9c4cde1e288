"""The digest emails as a daily background task: a run twice sends nothing
twice, and the next day's run is always queued once."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core import tasks as core_tasks
from learning import services, tasks
from learning.tests.conftest import person, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_backend(settings):
    settings.TASKS_BACKEND = "database"
    settings.TASKS = {"default": {"BACKEND": settings.TASK_BACKENDS["database"]}}
    settings.TASKS_DAILY = {"learning.tasks.send_digests": "07:00"}


def digest_runs():
    return DBTaskResult.objects.filter(
        task_path="learning.tasks.send_digests", status="READY"
    ).values_list("run_after", flat=True)


def test_running_the_digest_task_twice_sends_each_digest_once(measures, trust, writer):
    follower = person(organisation=trust)
    services.follow(by=follower, kind="topic", value="epr")
    published(writer, trust)

    first = tasks.send_digests.enqueue()
    second = tasks.send_digests.enqueue()

    assert (first.return_value, second.return_value) == (
        "Sent 1 digest email.",
        "Sent 0 digest emails.",
    )
    assert [message.to for message in mail.outbox] == [[follower.email]]


def test_the_next_daily_run_is_queued_once_at_seven(database_backend):
    evening = timezone.make_aware(datetime.datetime(2026, 12, 2, 19, 30))

    assert core_tasks.schedule_daily(now=evening) == ["learning.tasks.send_digests"]
    assert core_tasks.schedule_daily(now=evening) == []

    (run_after,) = digest_runs()
    assert timezone.localtime(run_after).replace(tzinfo=None) == datetime.datetime(2026, 12, 3, 7)


def test_a_digest_run_queues_the_next_one(database_backend):
    tasks.send_digests.call()

    (run_after,) = digest_runs()
    assert timezone.localtime(run_after).hour == 7
    assert run_after > timezone.now()


def test_the_immediate_backend_keeps_no_schedule():
    assert core_tasks.schedule_daily() == []
