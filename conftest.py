import pytest


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    """Tests hash passwords quickly, keep uploads in a temporary folder and run
    each background task as it is queued (tests about queueing choose a backend)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS_BACKEND = "immediate"
    settings.TASKS = {"default": {"BACKEND": settings.TASK_BACKENDS["immediate"]}}
    settings.TASK_RETRY_SECONDS = 0


@pytest.fixture(autouse=True, scope="session")
def _reference_data_once():
    """The real reference data loads once per test process; see tests/snapshot.py."""
    from northstar import demo
    from tests.snapshot import Snapshot

    loader = demo.load_reference_data
    demo.load_reference_data = Snapshot(loader)
    yield
    demo.load_reference_data = loader
