import pytest


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    """Tests hash passwords quickly and keep uploads in a temporary folder."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True, scope="session")
def _reference_data_once():
    """The real reference data loads once per test process; see tests/snapshot.py."""
    from core import demo
    from tests.snapshot import Snapshot

    loader = demo.load_reference_data
    demo.load_reference_data = Snapshot(loader)
    yield
    demo.load_reference_data = loader
