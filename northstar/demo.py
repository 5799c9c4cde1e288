"""What `northstar demo` sets up: the framework, real NHS organisations and one
demo account per role. Every step is idempotent, so running it again
duplicates nothing."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings

from accounts import services as accounts
from accounts.models import RoleName
from assessments.demo import create_demo_rounds
from frameworks import services as frameworks
from funding.demo import create_demo_funding
from learning.demo import create_demo_library
from organisations import services as organisations
from organisations.models import Organisation
from scoring import published

DATA = Path(settings.BASE_DIR) / "data"
FRAMEWORK_FILES = [DATA / "frameworks" / "wgll-2025.1.yaml"]
LOCAL_DOMAIN_FILES = [DATA / "frameworks" / "local" / "qe1-lancashire-south-cumbria-2025.1.yaml"]
ORGANISATION_FILES = [
    (DATA / "organisations" / "organisations_2022-07.csv", date(2022, 7, 1)),
    (DATA / "organisations" / "organisations_2026-04.csv", date(2026, 4, 1)),
]
SUCCESSION_FILES = [DATA / "organisations" / "icb_successions_2026.csv"]
SIZE_FILES = [
    (
        DATA / "organisations" / "acute_beds_2024-25.csv",
        "NHS England, Critical care and General & Acute beds (monthly), mean of April 2024 to "
        "March 2025 (OGL v3.0)",
    )
]
PEER_FILES = [
    (
        DATA / "organisations" / "trust_peers.csv",
        "The Strategy Unit's list of similar trusts (nhp-peers), by the method of NHS Digital's "
        "NHS Trust Peer Finder Tool",
    )
]
PUBLISHED_SCORE_FILES = [DATA / "published" / "dma2025_pillar_scores.csv"]

# Not a secret: printed on start so people can try each role on their own machine.
DEMO_PASSWORD = "northstar-demo-2026"  # noqa: S105
DEMO_TRUST = "RXN"  # Lancashire Teaching Hospitals NHS Foundation Trust
DEMO_ICS = "QE1"  # Lancashire and South Cumbria, which has local domains


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    role: RoleName
    organisation_code: str | None

    def roles(self):
        organisation = (
            Organisation.objects.get(ods_code=self.organisation_code)
            if self.organisation_code
            else None
        )
        return [(self.role, organisation)]


DEMO_ACCOUNTS = [
    DemoAccount(
        "contributor@northstar.example",
        "Casey Contributor (demo)",
        RoleName.CONTRIBUTOR,
        DEMO_TRUST,
    ),
    DemoAccount(
        "approver@northstar.example", "Avery Approver (demo)", RoleName.APPROVER, DEMO_TRUST
    ),
    DemoAccount("ics-lead@northstar.example", "Indra ICS Lead (demo)", RoleName.ICS_LEAD, DEMO_ICS),
    DemoAccount("analyst@northstar.example", "Nat Analyst (demo)", RoleName.NATIONAL_ANALYST, None),
    DemoAccount(
        "patient-leader@northstar.example",
        "Pat Patient Leader (demo)",
        RoleName.PATIENT_LEADER,
        DEMO_TRUST,
    ),
    DemoAccount("admin@northstar.example", "Ari Admin (demo)", RoleName.PLATFORM_ADMIN, None),
]


def load_reference_data(report):
    for path in FRAMEWORK_FILES:
        report(str(frameworks.load(path=path)))
    for path, effective_from in ORGANISATION_FILES:
        report(
            f"{path.name}: {organisations.import_organisations(path=path, effective_from=effective_from)}"
        )
    for path in SUCCESSION_FILES:
        report(f"{path.name}: {organisations.import_successions(path=path)}")
    for path, source in SIZE_FILES:
        report(f"{path.name}: {organisations.import_profiles(path=path, source=source)}")
    for path, source in PEER_FILES:
        report(f"{path.name}: {organisations.import_peers(path=path, source=source)}")
    for path in LOCAL_DOMAIN_FILES:
        report(str(frameworks.load(path=path)))
    for path in PUBLISHED_SCORE_FILES:
        report(f"{path.name}: {published.import_published_scores(path=path)}")


def create_demo_accounts():
    for account in DEMO_ACCOUNTS:
        accounts.ensure_user(
            email=account.email,
            full_name=account.full_name,
            password=DEMO_PASSWORD,
            roles=account.roles(),
        )
    return DEMO_ACCOUNTS


def create_demo_content(report):
    """Clearly synthetic rounds, answers and learning-library entries for the demo
    accounts, which it creates first if they are missing."""
    create_demo_accounts()
    report(create_demo_rounds())
    report(create_demo_library())
    report(create_demo_funding())
