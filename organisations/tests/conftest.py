import datetime

import pytest
from django.conf import settings

from organisations import services

DATA = settings.BASE_DIR / "data" / "organisations"
STRUCTURE_2022 = DATA / "organisations_2022-07.csv"
STRUCTURE_2026 = DATA / "organisations_2026-04.csv"
SUCCESSIONS_2026 = DATA / "icb_successions_2026.csv"


def import_nhs_structure():
    """Northstar's committed files, in the order a new installation imports them."""
    return [
        services.import_organisations(
            path=STRUCTURE_2022, effective_from=datetime.date(2022, 7, 1)
        ),
        services.import_organisations(
            path=STRUCTURE_2026, effective_from=datetime.date(2026, 4, 1)
        ),
        services.import_successions(path=SUCCESSIONS_2026),
    ]


@pytest.fixture
def nhs_structure(db):
    return import_nhs_structure()
