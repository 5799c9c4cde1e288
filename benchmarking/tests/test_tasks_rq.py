"""The RQ backend on Redis: close-round queued and run by the worker, and a
task whose round has gone failing while the worker goes on. Redis must answer
under CI; elsewhere these skip, saying why."""

import os

import pytest
import redis
from django.core.management import call_command

from assessments.models import Round
from assessments.workflow import AssessmentStatus
from benchmarking import tasks as benchmarking_tasks
from benchmarking.models import Benchmark
from benchmarking.tests.workflow import OpenRound
from core import tasks

REDIS = "redis://127.0.0.1:6379"


def unavailable(reason):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}, and under CI the RQ tests must run.")
    pytest.skip(f"{reason}: start redis-server to run the RQ tests.")


@pytest.fixture
def rq_backend(settings):
    """RQ on a Redis database of its own (1–15), claimed for this test and emptied after."""
    try:
        redis.Redis.from_url(REDIS).ping()
    except redis.ConnectionError:
        unavailable(f"Redis does not answer at {REDIS}")
    for number in range(1, 16):
        connection = redis.Redis.from_url(f"{REDIS}/{number}")
        if connection.set("northstar-test-claim", os.getpid(), nx=True, ex=600):
            break
    else:
        unavailable("Every Redis database from 1 to 15 is claimed by other test runs")
    settings.TASKS_BACKEND = "rq"
    settings.TASKS = {"default": {"BACKEND": settings.TASK_BACKENDS["rq"], "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": f"{REDIS}/{number}"}}
    settings.TASKS_DAILY = {}
    yield connection
    connection.flushdb()


@pytest.mark.django_db(transaction=True)
def test_close_round_is_queued_on_rq_and_the_worker_runs_it(version, rq_backend):
    journey = OpenRound(version, ["RJ1", "RJ2"])
    for code in ("RJ1", "RJ2"):
        journey.answer(code, 2)
        journey.validate(code)

    call_command("close-round", journey.round.name)

    assert [(row.name, row.status) for row in tasks.task_rows()] == [
        ("assessments.close_round", "queued")
    ]

    tasks.work(burst=True, fork=False)

    assert sorted((row.name, row.status) for row in tasks.task_rows()) == [
        ("assessments.close_round", "finished"),
        ("benchmarking.recompute_peer_figures", "finished"),
    ]
    assert Round.objects.get(pk=journey.round.pk).closed_at is not None
    assert journey.assessment("RJ1").status == AssessmentStatus.PUBLISHED
    assert Benchmark.objects.filter(round=journey.round, group_type="national").count() == 2 * 7


@pytest.mark.django_db(transaction=True)
def test_on_rq_a_task_whose_round_is_gone_fails_and_the_worker_goes_on(
    small_round,
    rq_backend,
    capsys,
):
    missing = small_round.round.pk + 1000
    benchmarking_tasks.recompute_peer_figures.enqueue(missing)
    benchmarking_tasks.recompute_peer_figures.enqueue(small_round.round.pk)

    tasks.work(burst=True, fork=False)

    rows = {row.arguments[0]: row for row in tasks.task_rows()}
    assert rows[small_round.round.pk].status == "finished"
    assert rows[missing].status == "failed"
    call_command("tasks")
    assert (
        f"error: core.tasks.InputGone: Round {missing} no longer exists, "
        "so there were no figures to recompute." in capsys.readouterr().out
    )
