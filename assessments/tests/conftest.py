import datetime

import pytest

from assessments.tests import factories


@pytest.fixture
def world(db):
    """A published framework, an ICS with one acute trust, a person in each
    role and an open round 2026/27."""
    return factories.build_world()


@pytest.fixture
def today():
    return datetime.date.today()
