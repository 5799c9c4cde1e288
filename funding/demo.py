"""Demo funding: clearly synthetic figures for the demo trust, the rest of its
ICS and two other trusts over five years, loaded as ``northstar
import-funding`` would. Running it again replaces the same years."""

from pathlib import Path

from django.conf import settings

from funding.services import import_funding

DEMO_FUNDING = Path(settings.BASE_DIR) / "data" / "demo" / "funding.csv"


def create_demo_funding():
    return f"Demo funding (synthetic): {import_funding(path=DEMO_FUNDING)}"
