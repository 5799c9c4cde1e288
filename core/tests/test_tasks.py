"""The tasks backend chosen by NORTHSTAR_TASKS_BACKEND, and what the worker
and the task list say when the backend keeps no tasks."""

import os
import socket
import subprocess
import sys
import threading

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


def test_serve_runs_the_worker_beside_the_web_server(tmp_path):
    """As after `make demo`: a task queued on the database backend is run
    while `northstar serve` runs, and stopping it stops the worker too."""
    place = {"NORTHSTAR_VAR_DIR": str(tmp_path)}
    queued = northstar(
        "shell",
        "-c",
        "from django.core.management import call_command; call_command('migrate', verbosity=0); "
        "from learning.tasks import send_digests; print(send_digests.enqueue().id)",
        **place,
    )
    assert queued.returncode == 0, queued.stderr
    task_id = queued.stdout.strip().splitlines()[-1]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NORTHSTAR_", "DJANGO_"))}
    server = subprocess.Popen(
        [sys.executable, "-m", "northstar.cli", "serve", "--address", f"127.0.0.1:{port}"],
        env={**env, **place},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    stopper = threading.Timer(120, server.terminate)  # whatever happens, the test ends
    stopper.start()
    seen = []
    try:
        for line in server.stdout:
            seen.append(line)
            if f"id={task_id} path=learning.tasks.send_digests state=SUCCESSFUL" in line:
                break
    finally:
        server.terminate()
        rest, _ = server.communicate(timeout=60)
        stopper.cancel()
    output = "".join(seen) + rest
    assert "Starting the background worker (database backend)." in output
    assert f"id={task_id} path=learning.tasks.send_digests state=SUCCESSFUL" in output
    assert "shutting down gracefully" in output
