"""What every background task shares, whichever backend runs it (see
docs/adr/0009-background-tasks.md): bounded retries, a plain failure when a
task's input has gone, the daily schedule, the list of tasks and the worker.

Tasks are written with Django's task API through the django-tasks backport
(``@task`` and ``.enqueue()``, as ``django.tasks`` in Django 6). The backend is
chosen by ``NORTHSTAR_TASKS_BACKEND``."""

import contextlib
import datetime
import itertools
import logging
import signal
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus, default_task_backend

log = logging.getLogger("northstar.tasks")
QUEUE = "default"


class InputGone(Exception):
    """What the task was asked to work on no longer exists: trying again cannot help."""


class GaveUp(Exception):
    """Every attempt failed."""


def with_retries(function, *args, **kwargs):
    """Call ``function(*args, **kwargs)`` up to ``settings.TASK_ATTEMPTS`` times, waiting
    longer after each failure; tasks are idempotent, so a repeat does no harm."""
    allowed = settings.TASK_ATTEMPTS
    for attempt in range(1, allowed + 1):
        try:
            return function(*args, **kwargs)
        except InputGone:
            raise
        except Exception as error:
            if attempt == allowed:
                raise GaveUp(f"Failed {allowed} times; the last error: {error}") from error
            log.warning(
                "%s failed (attempt %d of %d), trying again: %s",
                function.__name__,
                attempt,
                allowed,
                error,
            )
            time.sleep(settings.TASK_RETRY_SECONDS * 2 ** (attempt - 1))


# --- The daily schedule --------------------------------------------------------


def next_daily_run(at, now=None):
    """The next moment, after ``now``, at the local time ``at`` ("07:00")."""
    now = timezone.localtime(now)
    hour, minute = (int(part) for part in at.split(":"))
    run = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return run if run > now else run + datetime.timedelta(days=1)


def schedule_daily(now=None):
    """Queue the next run of each daily task that has none queued; returns the
    paths queued. A backend that runs tasks at once keeps no schedule."""
    if not default_task_backend.supports_defer:
        return []
    queued = []
    for path, at in settings.TASKS_DAILY.items():
        if not is_queued(path):
            import_string(path).using(run_after=next_daily_run(at, now)).enqueue()
            queued.append(path)
    return queued


# --- What the backend holds ------------------------------------------------------


@dataclass(frozen=True)
class TaskRow:
    id: str
    path: str
    arguments: list
    status: str  # queued, scheduled, running, failed or finished
    enqueued_at: datetime.datetime | None
    run_after: datetime.datetime | None
    finished_at: datetime.datetime | None
    error: str

    @property
    def name(self):
        """benchmarking.recompute_peer_figures for benchmarking.tasks.recompute_peer_figures"""
        module, function = self.path.rsplit(".", 1)
        return f"{module.split('.')[0]}.{function}"


def _status(status, run_after):
    if status == TaskResultStatus.READY:
        return "scheduled" if run_after and run_after > timezone.now() else "queued"
    return {
        TaskResultStatus.RUNNING: "running",
        TaskResultStatus.FAILED: "failed",
        TaskResultStatus.SUCCESSFUL: "finished",
    }[status]


def error_line(traceback):
    lines = [line for line in (traceback or "").strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


def holds_tasks():
    """Whether the configured backend keeps tasks to list (the immediate one does not)."""
    return settings.TASKS_BACKEND in ("database", "rq")


STATES = ("queued", "scheduled", "running", "failed", "finished")


def task_rows(limit=50, status=None):
    """The most recently queued tasks (in one of the ``STATES``), newest first."""
    if settings.TASKS_BACKEND == "database":
        return _database_rows(limit, status)
    if settings.TASKS_BACKEND == "rq":
        rows = (row for row in _rq_rows() if status in (None, row.status))
        return list(itertools.islice(rows, limit))
    return []


def is_queued(path):
    """Whether a task with this path waits to run (queued or scheduled)."""
    if settings.TASKS_BACKEND == "database":
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.filter(task_path=path, status=TaskResultStatus.READY).exists()
    return any(row.path == path and row.status in ("queued", "scheduled") for row in _rq_rows())


def _database_rows(limit, status):
    from django_tasks_db.models import DBTaskResult, get_date_max

    never = get_date_max()
    results = DBTaskResult.objects.order_by("-enqueued_at")
    results = {
        None: results,
        "queued": results.ready(),
        "scheduled": results.filter(
            status=TaskResultStatus.READY, run_after__gt=timezone.now()
        ).exclude(run_after=never),
        "running": results.running(),
        "failed": results.failed(),
        "finished": results.successful(),
    }[status]
    rows = []
    for result in results[:limit]:
        run_after = None if result.run_after == never else result.run_after
        rows.append(
            TaskRow(
                id=str(result.id),
                path=result.task_path,
                arguments=result.args_kwargs["args"],
                status=_status(result.status, run_after),
                enqueued_at=result.enqueued_at,
                run_after=run_after,
                finished_at=result.finished_at,
                error=error_line(result.traceback),
            )
        )
    return rows


def _aware(moment):
    """RQ's times are UTC, without a zone in older records."""
    if moment is not None and timezone.is_naive(moment):
        return timezone.make_aware(moment, datetime.UTC)
    return moment


def _rq_queue():
    import django_rq
    from django_tasks_rq import Job

    return django_rq.get_queue(QUEUE, job_class=Job)


def _rq_rows():
    queue = _rq_queue()
    ids = [
        *queue.get_job_ids(),
        *queue.scheduled_job_registry.get_job_ids(),
        *queue.started_job_registry.get_job_ids(),
        *queue.failed_job_registry.get_job_ids(),
        *queue.finished_job_registry.get_job_ids(),
    ]
    jobs = [job for job in queue.job_class.fetch_many(ids, connection=queue.connection) if job]
    jobs.sort(key=lambda job: job.enqueued_at or job.created_at, reverse=True)
    for job in jobs:
        result = job.task_result
        run_after = _aware(result.task.run_after)
        yield TaskRow(
            id=job.id,
            path=job.func_name,
            arguments=list(job.args),
            status=_status(result.status, run_after),
            enqueued_at=_aware(result.enqueued_at),
            run_after=run_after,
            finished_at=_aware(result.finished_at),
            error=error_line(result.errors[-1].traceback) if result.errors else "",
        )


# --- The worker ----------------------------------------------------------------


class NoWorker(Exception):
    """The configured backend has no worker to run."""


def work(*, burst=False, fork=True, stdout=None, verbosity=1):
    """Run the worker for the configured backend: for ever, or with ``burst``
    until nothing is left to run now. Queues each daily task first."""
    if settings.TASKS_BACKEND == "immediate":
        raise NoWorker(
            "NORTHSTAR_TASKS_BACKEND is immediate: each task runs as it is queued, "
            "so there is no worker to start."
        )
    schedule_daily()
    with _signal_handlers_restored():
        if settings.TASKS_BACKEND == "database":
            call_command(
                "db_worker",
                batch=burst,
                reload=False,
                startup_delay=False,
                verbosity=verbosity,
                stdout=stdout,
            )
        else:
            _rq_work(burst=burst, fork=fork, verbosity=verbosity)


def _rq_work(*, burst, fork, verbosity):
    import django_rq
    from django.db import connections
    from rq import SimpleWorker

    connections.close_all()  # a forked work horse must open its own
    worker = django_rq.get_worker(
        QUEUE, job_class="django_tasks_rq.Job", worker_class=None if fork else SimpleWorker
    )
    worker.work(burst=burst, with_scheduler=True, logging_level="INFO" if verbosity else "WARNING")


@contextlib.contextmanager
def _signal_handlers_restored():
    """Both workers take over SIGINT and SIGTERM to stop gracefully; give them
    back when a worker run in-process (a burst) ends."""
    taken = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in taken.items():
            signal.signal(number, handler)
