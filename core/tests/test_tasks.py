"""The tasks backend chosen by NORTHSTAR_TASKS_BACKEND, and what the worker
and the task list say when the backend keeps no tasks."""

import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def northstar(*args, **environment):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NORTHSTAR_", "DJANGO_"))}
    env.update(environment)
    return subprocess.run(
        [sys.executable, "-c", "from northstar.cli import main; main()", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_an_unknown_tasks_backend_refuses_to_start_naming_the_setting_and_the_choices():
    result = northstar("check", NORTHSTAR_TASKS_BACKEND="celery")

    assert result.returncode != 0
    assert (
        "NORTHSTAR_TASKS_BACKEND must be one of database, rq, immediate, not 'celery'"
        in result.stderr
    )
    assert "Traceback" not in result.stderr


def test_each_known_tasks_backend_passes_the_checks():
    for backend in ("database", "rq", "immediate"):
        result = northstar("check", NORTHSTAR_TASKS_BACKEND=backend)
        assert result.returncode == 0, (backend, result.stderr)


def test_the_immediate_backend_has_no_worker_and_no_list(capsys):
    with pytest.raises(CommandError, match="each task runs as it is queued"):
        call_command("worker", "--burst")
    call_command("tasks")
    assert "runs each task as it is queued and keeps no list" in capsys.readouterr().out
