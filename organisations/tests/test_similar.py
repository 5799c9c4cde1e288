"""Size figures by named measure and published lists of similar trusts: the
committed files load as they are, bad files are refused whole, and every
organisation gets up to ten similar organisations with the reason for each."""

import csv

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from organisations import queries, services
from organisations.models import (
    Organisation,
    OrganisationType,
    PublishedPeer,
    SimilarBasis,
    SimilarOrganisation,
    SizeFigure,
)

DATA = settings.BASE_DIR / "data" / "organisations"
BEDS = DATA / "acute_beds_2024-25.csv"
PEERS = DATA / "trust_peers.csv"

pytestmark = pytest.mark.django_db


def refused(command, path, *options):
    with pytest.raises(CommandError) as error:
        call_command(command, str(path), *options)
    return str(error.value)


@pytest.fixture
def sized(nhs_structure):
    services.import_profiles(path=BEDS, source="NHS England bed statistics")
    services.import_peers(path=PEERS, source="Published peer list")


def test_the_published_bed_and_peer_files_load_as_they_are(nhs_structure):
    with BEDS.open() as file:
        rows = list(csv.DictReader(file))
    figures = sum(1 for row in rows for column, value in row.items() if "beds" in column and value)
    assert len(rows) == 134 and figures > 134 * 3
    beds = services.import_profiles(path=BEDS, source="NHS England bed statistics")
    assert beds.created == figures
    again = services.import_profiles(path=BEDS, source="NHS England bed statistics")
    assert (again.created, again.updated, again.unchanged) == (0, 0, figures)
    peers = services.import_peers(path=PEERS, source="Published peer list")
    assert (peers.pairs, peers.organisations) == (1799, 186)  # 186 trusts have lists
    rxn = SizeFigure.objects.get(organisation__ods_code="R0A", measure="general_acute_beds")
    assert (rxn.year, rxn.value, rxn.source) == (2024, 2279, "NHS England bed statistics")


def test_every_open_acute_trust_has_ten_similar_organisations_with_reasons(sized):
    acute = Organisation.objects.filter(org_type=OrganisationType.ACUTE, closed_on__isnull=True)
    assert acute.count() > 100
    for trust in acute:
        similar = queries.similar_organisations(trust)
        assert len(similar) == 10, trust.ods_code
        assert all(s.source for s in similar)
        assert trust not in [s.organisation for s in similar]
    # RAJ's published list has eight open peers; two more are the nearest by beds.
    raj = queries.similar_organisations(Organisation.objects.get(ods_code="RAJ"))
    assert [s.basis for s in raj].count(SimilarBasis.PUBLISHED) == 8
    nearest = [s for s in raj if s.basis == SimilarBasis.SIZE]
    assert all(s.organisation.org_type == "acute" and s.size is not None for s in nearest)
    assert (
        nearest[0].own_size
        == SizeFigure.objects.get(organisation__ods_code="RAJ", measure="general_acute_beds").value
    )


def test_ambulance_trusts_and_icss_have_no_similar_organisations(sized):
    assert not SimilarOrganisation.objects.filter(
        organisation__org_type__in=[OrganisationType.AMBULANCE, OrganisationType.ICB]
    ).exists()


def test_a_size_file_with_an_unknown_measure_is_refused(nhs_structure, tmp_path):
    path = tmp_path / "sizes.csv"
    path.write_text("ods_code,year,hospital_beds\nRXN,2024,900\n")
    message = refused("import-profiles", path, "--source", "x")
    assert "sizes.csv: row 1, column hospital_beds: unknown column" in message
    assert not SizeFigure.objects.exists()


def test_a_size_file_with_bad_values_names_each_and_loads_nothing(nhs_structure, tmp_path):
    path = tmp_path / "sizes.csv"
    path.write_text(
        "ods_code,year,general_acute_beds,annual_expenditure,staff,source\n"
        "RXN,2024,900,612.5,8500,Annual accounts\n"
        "ZZZ,2024,10,,,Accounts\n"
        "RXN,2025,-3,lots,,Accounts\n"
        "RXL,2024,,,,\n"
    )
    message = refused("import-profiles", path)
    assert "sizes.csv: row 3, column ods_code: ZZZ is not an organisation in Northstar" in message
    assert "sizes.csv: row 4, column general_acute_beds: -3 is negative" in message
    assert "sizes.csv: row 4, column annual_expenditure: 'lots' is not a number" in message
    assert "sizes.csv: row 5, column source: is empty" in message
    assert "sizes.csv: row 5, column ods_code: has no size figure in any measure column" in message
    assert not SizeFigure.objects.exists() and not SimilarOrganisation.objects.exists()


def test_a_peer_list_naming_a_trust_as_its_own_peer_or_an_unknown_trust_is_refused(sized, tmp_path):
    before = set(PublishedPeer.objects.values_list("organisation_id", "peer_id"))
    path = tmp_path / "peers.csv"
    path.write_text("ods_code,peer_ods_code\nRXN,RXL\nRXN,RXN\nRXN,ZZZ\nQQQ,RXL\n")
    message = refused("import-peers", path, "--source", "A list")
    assert "peers.csv: row 3, column peer_ods_code: names RXN as its own peer" in message
    assert "peers.csv: row 4, column peer_ods_code: ZZZ is not an organisation" in message
    assert "peers.csv: row 5, column ods_code: QQQ is not an organisation" in message
    assert set(PublishedPeer.objects.values_list("organisation_id", "peer_id")) == before


def test_nearest_by_expenditure_where_there_are_no_beds(nhs_structure, tmp_path):
    path = tmp_path / "money.csv"
    path.write_text(
        "ods_code,year,annual_expenditure,source\n"
        + "".join(
            f"{code},2025,{size},Annual accounts\n"
            for code, size in (("RXA", 100), ("RWV", 110), ("RX4", 400), ("RXT", 120))
        )
    )
    call_command("import-profiles", str(path))
    similar = queries.similar_organisations(Organisation.objects.get(ods_code="RWV"))
    assert [s.organisation.ods_code for s in similar] == ["RXT", "RX4"]  # RXA is combined
    assert {s.measure for s in similar} == {"annual_expenditure"}
