"""Production mode, as installed, serves pages, static files and its own 404 page.

Starts `northstar serve` with NORTHSTAR_ENV=production in a subprocess, from a
fresh SQLite database in a temporary folder, with the virtualenv's bin folder
NOT on PATH (as when the service is started by its full path).
"""

import contextlib
import http.client
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

VENV_BIN = Path(sys.executable).parent
STARTUP_LIMIT = 120  # seconds: generous, the machine may be busy


@pytest.fixture(scope="module")
def production_env(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("production")
    # A clean environment: nothing of the test run's own NORTHSTAR_* or DJANGO_* settings.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NORTHSTAR_", "DJANGO_"))}
    # As when the service is started by its full path: no gunicorn on PATH,
    # neither the virtualenv's nor any other.
    env["PATH"] = os.pathsep.join(
        folder
        for folder in env.get("PATH", "").split(os.pathsep)
        if folder
        and Path(folder).absolute() != VENV_BIN.absolute()
        and not (Path(folder) / "gunicorn").exists()
    )
    env.update(
        {
            "HOME": str(tmp_path),  # gunicorn keeps its control socket under HOME
            "NORTHSTAR_ENV": "production",
            "NORTHSTAR_SECRET_KEY": secrets.token_urlsafe(50),
            "NORTHSTAR_ALLOWED_HOSTS": "127.0.0.1",
            "NORTHSTAR_DEBUG": "false",
            "NORTHSTAR_VAR_DIR": str(tmp_path / "var"),  # not there yet, as on a fresh install
            "NORTHSTAR_MEDIA_ROOT": str(tmp_path / "media"),
            # Plain http on loopback: no redirect to https (see README, Configuration).
            "NORTHSTAR_SSL_REDIRECT": "false",
            "NORTHSTAR_SERVE_ADDRESS": "127.0.0.1:0",
            "NORTHSTAR_WORKERS": "2",
        }
    )
    return env


def northstar(env, *args):
    result = subprocess.run(
        [str(VENV_BIN / "northstar"), *args],
        env=env,
        cwd=env["HOME"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"northstar {' '.join(args)} failed:\n{result.stderr}"
    return result


def get(port, path, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def wait_for_port(log_path, server):
    deadline = time.monotonic() + STARTUP_LIMIT
    while time.monotonic() < deadline:
        log = log_path.read_text()
        found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", log)
        if found:
            return int(found.group(1))
        if server.poll() is not None:
            pytest.fail(f"northstar serve stopped (exit {server.returncode}):\n{log}")
        time.sleep(0.2)
    pytest.fail(
        f"northstar serve was not listening within {STARTUP_LIMIT}s:\n{log_path.read_text()}"
    )


def wait_until_answering(port, log_path):
    deadline = time.monotonic() + STARTUP_LIMIT
    while time.monotonic() < deadline:
        try:
            return get(port, "/")
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"no answer within {STARTUP_LIMIT}s:\n{log_path.read_text()}")


def stop(server):
    with contextlib.suppress(ProcessLookupError):  # it may have stopped by itself
        os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def server_port(production_env):
    tmp_path = Path(production_env["HOME"])
    northstar(production_env, "migrate", "--no-input", "-v", "0")
    northstar(production_env, "collectstatic", "--no-input", "-v", "0")
    log_path = tmp_path / "serve.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [str(VENV_BIN / "northstar"), "serve"],
            env=production_env,
            cwd=tmp_path,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # gunicorn and its workers share one group to stop
        )
    try:
        port = wait_for_port(log_path, server)
        wait_until_answering(port, log_path)
        yield port
    finally:
        stop(server)


def test_production_serves_the_home_page_static_files_and_the_nhsuk_404(server_port):
    status, _, body = get(server_port, "/")
    assert status == 200
    page = body.decode()
    stylesheet = re.search(r'href="(/static/nhsuk/nhsuk-frontend\.min\.[0-9a-f]+\.css)"', page)
    assert stylesheet, "the home page links the NHS.UK stylesheet by its hashed name"

    status, headers, css = get(server_port, stylesheet.group(1))
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert b".nhsuk-header" in css

    status, _, body = get(server_port, "/no-such-page/")
    assert status == 404
    missing = body.decode()
    assert "Page not found" in missing
    assert stylesheet.group(1) in missing, "the 404 page wears the NHS.UK styles"


def test_production_still_sends_its_security_headers_behind_https(server_port):
    # Behind the TLS proxy (which says so in X-Forwarded-Proto), HSTS and secure cookies apply.
    status, headers, _ = get(server_port, "/accounts/sign-in/", {"X-Forwarded-Proto": "https"})
    assert status == 200
    assert "max-age=63072000" in headers["Strict-Transport-Security"]
    cookies = headers.get_all("Set-Cookie")
    assert cookies, "the sign-in page sets its CSRF cookie"
    assert all("Secure" in cookie for cookie in cookies)
