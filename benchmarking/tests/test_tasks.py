"""Peer figures recomputed by background tasks: queued when assessments are
published, run by the worker on the database backend, shown as updating until
done, retried a bounded number of times, failed plainly when their round has
gone, and harmless when run twice."""

import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase
from django_tasks_db.models import DBTaskResult

from accounts.policy import Step
from assessments import workflow
from assessments.models import Round
from assessments.workflow import AssessmentStatus
from benchmarking import calculation, tasks
from benchmarking.models import Benchmark, FiguresUpdate
from benchmarking.tests.workflow import OpenRound
from core import tasks as core_tasks
from scoring.models import MeasureScore

ROUND_PAGE = "/assessments/2026-27%20(journey)/"
NATIONAL_PAGE = "/benchmarks/national/?round=2026/27+(journey)"


@pytest.fixture
def database_backend(settings):
    settings.TASKS_BACKEND = "database"
    settings.TASKS = {"default": {"BACKEND": settings.TASK_BACKENDS["database"]}}
    settings.TASKS_DAILY = {}  # the daily digests have tests of their own


def words(response):
    return " ".join(re.sub(r"<[^>]+>", " ", response.text).split())


def figures(round_):
    return sorted(
        Benchmark.objects.filter(round=round_).values_list(
            "assessment_id", "measure_id", "group_type", "score", "percentile", "quartile"
        )
    )


def statuses():
    return sorted((row.name, row.status) for row in core_tasks.task_rows())


@pytest.mark.django_db(transaction=True)
def test_publication_queues_the_peer_figures_and_the_worker_replaces_them(
    client, version, database_backend
):
    journey = OpenRound(version, ["RJ1", "RJ2", "RJ3"])
    for code, level in (("RJ1", 1), ("RJ2", 2), ("RJ3", 3)):
        journey.answer(code, level)
        journey.publish(code)
    client.force_login(journey.people["admin"])

    assert statuses() == [("benchmarking.recompute_peer_figures", "queued")] * 3
    assert not Benchmark.objects.filter(round=journey.round).exists()
    for page in (ROUND_PAGE, NATIONAL_PAGE):
        assert re.search(r"Figures updating since \d\d:\d\d", words(client.get(page))), page

    core_tasks.work(burst=True)

    assert statuses() == [("benchmarking.recompute_peer_figures", "finished")] * 3
    assert not FiguresUpdate.objects.exists()
    assert Benchmark.objects.filter(round=journey.round, group_type="national").count() == 3 * 7
    for page in (ROUND_PAGE, NATIONAL_PAGE):
        assert "Figures updating" not in words(client.get(page))
    assert "Well led" in words(client.get(NATIONAL_PAGE))


@pytest.mark.django_db(transaction=True)
def test_close_round_is_queued_and_the_worker_publishes_then_recomputes(version, database_backend):
    journey = OpenRound(version, ["RJ1", "RJ2"])
    for code in ("RJ1", "RJ2"):
        journey.answer(code, 2)
        journey.validate(code)

    call_command("close-round", journey.round.name)

    assert [row.status for row in core_tasks.task_rows()] == ["queued"]
    assert journey.assessment("RJ1").status == AssessmentStatus.VALIDATED

    core_tasks.work(burst=True)

    assert statuses() == [
        ("assessments.close_round", "finished"),
        ("benchmarking.recompute_peer_figures", "finished"),
    ]
    assert Round.objects.get(pk=journey.round.pk).closed_at is not None
    assert journey.assessment("RJ2").status == AssessmentStatus.PUBLISHED
    assert Benchmark.objects.filter(round=journey.round, group_type="national").count() == 2 * 7


@pytest.mark.django_db(transaction=True)
def test_a_task_whose_round_is_gone_fails_with_a_message_and_the_worker_goes_on(
    small_round, database_backend, capsys
):
    gone = tasks.recompute_peer_figures.enqueue(small_round.round.pk + 1000)
    fine = tasks.recompute_peer_figures.enqueue(small_round.round.pk)

    core_tasks.work(burst=True)

    assert DBTaskResult.objects.get(pk=gone.id).status == "FAILED"
    assert DBTaskResult.objects.get(pk=fine.id).status == "SUCCESSFUL"
    call_command("tasks", "--status", "failed")
    listed = capsys.readouterr().out
    assert "failed     benchmarking.recompute_peer_figures" in listed
    assert "finished" not in listed
    assert (
        f"error: core.tasks.InputGone: Round {small_round.round.pk + 1000} no longer exists, "
        "so there were no figures to recompute." in listed
    )


@pytest.mark.django_db(transaction=True)
def test_a_failing_task_is_tried_a_bounded_number_of_times_then_shown_failed(
    small_round, database_backend, monkeypatch, settings
):
    settings.TASK_ATTEMPTS = 3
    tries = []

    def broken(round_):
        tries.append(round_.pk)
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(calculation, "recompute_round", broken)
    queued = tasks.recompute_peer_figures.enqueue(small_round.round.pk)

    core_tasks.work(burst=True)

    assert len(tries) == 3
    result = DBTaskResult.objects.get(pk=queued.id)
    assert result.status == "FAILED"
    assert core_tasks.error_line(result.traceback) == (
        "core.tasks.GaveUp: Failed 3 times; the last error: the disk is full"
    )


@pytest.mark.django_db
def test_a_task_that_fails_once_succeeds_on_the_next_try(small_round, monkeypatch):
    before = figures(small_round.round)
    Benchmark.objects.filter(round=small_round.round).delete()
    real, tries = calculation.recompute_round, []

    def flaky(round_):
        tries.append(round_.pk)
        if len(tries) == 1:
            raise RuntimeError("the database went away")
        real(round_)

    monkeypatch.setattr(calculation, "recompute_round", flaky)

    result = tasks.recompute_peer_figures.enqueue(small_round.round.pk)

    assert result.status == "SUCCESSFUL" and len(tries) == 2
    assert figures(small_round.round) == before


@pytest.mark.django_db
def test_running_the_task_twice_does_no_harm(small_round):
    before = figures(small_round.round)

    tasks.recompute_peer_figures.enqueue(small_round.round.pk)
    tasks.recompute_peer_figures.enqueue(small_round.round.pk)

    assert figures(small_round.round) == before and before


@pytest.mark.django_db
def test_a_recompute_that_fails_half_way_leaves_the_old_figures_whole(small_round, monkeypatch):
    before = figures(small_round.round)
    # The benchmarks are written, then the statistics fail: nothing of it may show.
    monkeypatch.setattr(calculation, "STATISTICS", "SELECT no_such_column FROM no_such_table")
    MeasureScore.objects.filter(assessment__round=small_round.round).update(score=0.5)

    result = tasks.recompute_peer_figures.enqueue(small_round.round.pk)

    assert result.status == "FAILED"
    assert figures(small_round.round) == before


@pytest.mark.django_db
def test_a_failed_recompute_stops_the_pages_saying_updating(signed_in, small_round, monkeypatch):
    tasks.figures_requested(round_id=small_round.round.pk)
    page = "/benchmarks/national/?round=2025+(test)"
    assert "Figures updating since" in words(signed_in.get(page))
    monkeypatch.setattr(calculation, "STATISTICS", "SELECT no_such_column FROM no_such_table")

    tasks.recompute_peer_figures.enqueue(small_round.round.pk)

    assert "Figures updating" not in words(signed_in.get(page))


@pytest.mark.django_db
def test_recompute_queues_one_task_a_round_and_the_pages_say_updating(
    signed_in, small_round, database_backend, capsys, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("recompute")

    assert "Queued the recompute of 1 round" in capsys.readouterr().out
    assert [row.name for row in core_tasks.task_rows()] == ["benchmarking.recompute_round"]
    assert "Figures updating since" in words(signed_in.get("/benchmarks/national/"))


@pytest.mark.django_db
def test_recompute_now_runs_here(small_round, capsys):
    Benchmark.objects.filter(round=small_round.round).delete()

    call_command("recompute", "--now", "--round", small_round.round.name)

    assert "Recomputed 1 round." in capsys.readouterr().out
    assert Benchmark.objects.filter(round=small_round.round).exists()


@pytest.mark.django_db
def test_many_publications_in_one_transaction_queue_one_task_per_round(version, database_backend):
    journey = OpenRound(version, ["RJ1", "RJ2", "RJ3"])
    for code in ("RJ1", "RJ2", "RJ3"):
        journey.answer(code, 2)
        journey.validate(code)
    with TestCase.captureOnCommitCallbacks(execute=True), transaction.atomic():
        for code in ("RJ1", "RJ2", "RJ3"):
            workflow.take_step(
                assessment=journey.assessment(code),
                step=Step.PUBLISH,
                by=journey.people["admin"],
            )
    queued = DBTaskResult.objects.filter(task_path__endswith="recompute_peer_figures")
    assert [task.args_kwargs["args"] for task in queued] == [[journey.round.pk]]
