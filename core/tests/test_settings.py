"""Production mode refuses unsafe settings, naming the setting to fix."""

import os
import subprocess
import sys

SAFE = {
    "NORTHSTAR_ENV": "production",
    "NORTHSTAR_SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-0123456789",
    "NORTHSTAR_ALLOWED_HOSTS": "northstar.example.nhs.uk",
    "NORTHSTAR_DEBUG": "false",
}


def run_check(overrides, *extra):
    # A clean environment: browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NORTHSTAR_", "DJANGO_ALLOW"))}
    env.update({**SAFE, **overrides})
    env = {k: v for k, v in env.items() if v is not None}
    return subprocess.run(
        [sys.executable, "manage.py", "check", *extra],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_the_default_secret_key():
    result = run_check({"NORTHSTAR_SECRET_KEY": None})
    assert result.returncode != 0
    assert "NORTHSTAR_SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_refuses_debug_on():
    result = run_check({"NORTHSTAR_DEBUG": "true"})
    assert result.returncode != 0
    assert "NORTHSTAR_DEBUG" in result.stderr


def test_production_refuses_no_allowed_hosts():
    result = run_check({"NORTHSTAR_ALLOWED_HOSTS": None})
    assert result.returncode != 0
    assert "NORTHSTAR_ALLOWED_HOSTS" in result.stderr


def test_production_names_every_unsafe_setting_at_once():
    result = run_check(
        {"NORTHSTAR_SECRET_KEY": None, "NORTHSTAR_DEBUG": "1", "NORTHSTAR_ALLOWED_HOSTS": None}
    )
    for name in ("NORTHSTAR_SECRET_KEY", "NORTHSTAR_DEBUG", "NORTHSTAR_ALLOWED_HOSTS"):
        assert name in result.stderr


def test_production_with_safe_settings_passes_the_deploy_check():
    result = run_check({}, "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
