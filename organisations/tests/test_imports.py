import datetime

import pytest
from openpyxl import Workbook

from core.tables import ImportRejected
from organisations import services
from organisations.models import Membership, Organisation, OrganisationType, Succession
from organisations.queries import ics_of
from organisations.tests.conftest import STRUCTURE_2022, STRUCTURE_2026, import_nhs_structure
from organisations.tests.factories import IcbFactory, SuccessionFactory, TrustFactory

pytestmark = pytest.mark.django_db

HEADER = "ods_code,name,org_type,icb_code,region"
APRIL_2026 = datetime.date(2026, 4, 1)
JULY_2022 = datetime.date(2022, 7, 1)


def write(tmp_path, text, name="organisations.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def memberships(code):
    return [
        (m.ics.ods_code, m.valid_from, m.valid_to)
        for m in Membership.objects.filter(organisation__ods_code=code)
        .select_related("ics")
        .order_by("valid_from")
    ]


def database_state():
    return (
        list(Organisation.objects.order_by("ods_code").values()),
        list(Membership.objects.order_by("id").values()),
        list(Succession.objects.order_by("id").values()),
    )


def rejected(**kwargs):
    with pytest.raises(ImportRejected) as caught:
        services.import_organisations(**kwargs)
    return caught.value.messages


def test_import_2022_structure_creates_42_icbs_and_205_trusts():
    result = services.import_organisations(path=STRUCTURE_2022, effective_from=JULY_2022)

    assert result == services.ImportResult(created=247, updated=0, unchanged=0)
    assert Organisation.objects.filter(org_type=OrganisationType.ICB).count() == 42
    assert Organisation.objects.exclude(org_type=OrganisationType.ICB).count() == 205
    assert Membership.objects.count() == 205
    rgt = Organisation.objects.get(ods_code="RGT")
    assert (rgt.care_settings, rgt.opened_on, rgt.details_from) == (
        ["acute"],
        datetime.date(1993, 4, 1),
        JULY_2022,
    )


def test_import_nhs_structure_leaves_36_open_icbs():
    structure_2022, structure_2026, successions = import_nhs_structure()

    assert structure_2026.created == 7  # six new ICBs and the Online NHS Trust
    assert successions == services.SuccessionResult(created=16, closed=12)
    icbs = Organisation.objects.filter(org_type=OrganisationType.ICB)
    assert icbs.filter(closed_on__isnull=True).count() == 36
    assert set(icbs.filter(closed_on=datetime.date(2026, 3, 31)).values_list("ods_code", flat=True)) == {
        "QH8", "QHG", "QJG", "QM7", "QMJ", "QMM", "QNQ", "QNX", "QRV", "QU9", "QUE", "QXU"
    }  # fmt: skip


def test_import_nhs_structure_links_every_open_trust_to_an_open_ics():
    import_nhs_structure()
    today = datetime.date.today()

    trusts = Organisation.objects.exclude(org_type=OrganisationType.ICB).filter(
        closed_on__isnull=True
    )
    assert trusts.count() == 202
    for trust in trusts:
        ics = ics_of(trust, on=today)
        assert ics is not None and ics.closed_on is None, trust


def test_import_trust_in_merged_ics_has_two_dated_memberships():
    import_nhs_structure()

    assert memberships("RGT") == [
        ("QUE", JULY_2022, datetime.date(2026, 3, 31)),
        ("S1Y5D", APRIL_2026, None),
    ]
    assert memberships("RAJ") == [
        ("QH8", JULY_2022, datetime.date(2026, 3, 31)),
        ("D7T5G", APRIL_2026, None),
    ]


def test_import_trust_in_unchanged_ics_keeps_one_membership_and_takes_its_new_name():
    import_nhs_structure()

    assert memberships("RA7") == [("QUY", JULY_2022, None)]
    assert Organisation.objects.get(ods_code="RA7").name == "Bristol NHS Foundation Trust"


def test_import_closed_trust_keeps_its_history_to_the_day_it_closed():
    import_nhs_structure()

    assert memberships("RNK") == [("QMJ", JULY_2022, datetime.date(2026, 3, 31))]
    assert memberships("RVJ") == [("QUY", JULY_2022, datetime.date(2026, 6, 30))]
    assert Organisation.objects.get(ods_code="RVJ").closed_on == datetime.date(2026, 6, 30)


def test_import_trust_joins_its_ics_when_it_opens():
    import_nhs_structure()

    assert memberships("K0N6A") == [("QKK", datetime.date(2026, 6, 1), None)]
    assert memberships("G6V2S")[0] == (
        "QMJ",
        datetime.date(2024, 11, 1),
        datetime.date(2026, 3, 31),
    )


def test_import_same_files_again_reports_everything_unchanged():
    import_nhs_structure()
    before = database_state()

    again = import_nhs_structure()

    assert again == [
        services.ImportResult(unchanged=247),
        services.ImportResult(unchanged=242),
        services.SuccessionResult(unchanged=16),
    ]
    assert database_state() == before


def test_import_same_file_twice_reports_everything_unchanged():
    services.import_organisations(path=STRUCTURE_2026, effective_from=APRIL_2026)

    again = services.import_organisations(path=STRUCTURE_2026, effective_from=APRIL_2026)

    assert again == services.ImportResult(unchanged=242)


def test_import_older_structure_after_a_newer_one_changes_nothing():
    services.import_organisations(path=STRUCTURE_2022, effective_from=JULY_2022)
    services.import_organisations(path=STRUCTURE_2026, effective_from=APRIL_2026)
    before = database_state()

    result = services.import_organisations(path=STRUCTURE_2022, effective_from=JULY_2022)

    assert result == services.ImportResult(unchanged=247)
    assert database_state() == before


def test_import_older_structure_that_disagrees_with_a_newer_one_is_rejected(tmp_path):
    services.import_organisations(path=STRUCTURE_2022, effective_from=JULY_2022)
    services.import_organisations(path=STRUCTURE_2026, effective_from=APRIL_2026)
    path = write(tmp_path, f"{HEADER}\nRGT,Cambridge,acute,QE1,East of England\n")

    messages = rejected(path=path, effective_from=datetime.date(2024, 1, 1))

    assert messages == [
        "organisations.csv: row 2, column icb_code: RGT was in QUE on 2024-01-01, as recorded "
        "by an import effective from a later date; import structures oldest first"
    ]


def move(tmp_path, trust, ics):
    return write(tmp_path, f"{HEADER}\n{trust.ods_code},{trust.name},acute,{ics.ods_code},London\n")


def test_import_rejects_a_trust_joining_an_ics_that_has_closed(tmp_path):
    import_nhs_structure()
    path = write(tmp_path, f"{HEADER}\nRGT,Cambridge,acute,QUE,East of England\n")

    assert rejected(path=path, effective_from=datetime.date(2026, 5, 1)) == [
        "organisations.csv: row 2, column icb_code: QUE closed on 2026-03-31, before "
        "2026-05-01; name its successor"
    ]


def test_import_moves_a_trust_the_day_before_the_effective_date(tmp_path):
    trust = TrustFactory(ods_code="RAA")
    old_ics = trust.memberships.get().ics.ods_code
    new_ics = IcbFactory(ods_code="QAA")

    result = services.import_organisations(
        path=move(tmp_path, trust, new_ics), effective_from=datetime.date(2025, 1, 1)
    )

    assert result == services.ImportResult(updated=1)
    assert memberships("RAA") == [
        (old_ics, JULY_2022, datetime.date(2024, 12, 31)),
        ("QAA", datetime.date(2025, 1, 1), None),
    ]


def test_import_on_the_same_date_again_corrects_the_ics(tmp_path):
    trust = TrustFactory(ods_code="RAA", membership__valid_from=datetime.date(2025, 1, 1))
    right_ics = IcbFactory(ods_code="QAA")

    services.import_organisations(
        path=move(tmp_path, trust, right_ics), effective_from=datetime.date(2025, 1, 1)
    )

    assert memberships("RAA") == [("QAA", datetime.date(2025, 1, 1), None)]


def test_import_without_optional_columns_keeps_what_was_recorded(tmp_path):
    services.import_organisations(path=STRUCTURE_2026, effective_from=APRIL_2026)
    path = write(tmp_path, f"{HEADER}\nRVJ,North Bristol NHS Trust,acute,QUY,South West\n")

    result = services.import_organisations(path=path, effective_from=APRIL_2026)

    assert result == services.ImportResult(unchanged=1)
    rvj = Organisation.objects.get(ods_code="RVJ")
    assert (rvj.care_settings, rvj.closed_on) == (["acute"], datetime.date(2026, 6, 30))


def test_import_xlsx_reads_the_first_sheet_with_dates_as_cells(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([*HEADER.split(","), "care_settings", "opened_on"])
    sheet.append(["QAB", "NHS Test ICB", "icb", "QAB", "London", "ics", datetime.date(2022, 7, 1)])
    sheet.append(
        ["rab", "Test Trust", "Combined", "QAB", "London", "community; mental_health", None]
    )
    workbook.create_sheet("Notes").append(["ignored"])
    path = tmp_path / "organisations.xlsx"
    workbook.save(path)

    result = services.import_organisations(path=path, effective_from=JULY_2022)

    assert result == services.ImportResult(created=2)
    trust = Organisation.objects.get(ods_code="RAB")
    assert (trust.org_type, trust.care_settings) == ("combined", ["mental_health", "community"])
    assert Organisation.objects.get(ods_code="QAB").opened_on == JULY_2022
    assert memberships("RAB") == [("QAB", JULY_2022, None)]


def test_import_rejects_duplicate_unknown_ics_and_unknown_type_and_changes_nothing(tmp_path):
    IcbFactory(ods_code="QE1")
    before = database_state()
    path = write(
        tmp_path,
        f"{HEADER}\n"
        "RAA,First Trust,acute,QE1,North West\n"
        "RBB,Second Trust,acute,QZZ,North West\n"
        "RCC,Third Trust,hospital,QE1,North West\n"
        "RAA,First Trust again,acute,QE1,North West\n",
    )

    messages = rejected(path=path, effective_from=APRIL_2026)

    assert messages == [
        "organisations.csv: row 3, column icb_code: QZZ is not an ICB in this file or in Northstar",
        "organisations.csv: row 4, column org_type: 'hospital' is not an organisation type; use "
        "one of icb, acute, specialist, mental_health, combined, community, ambulance, pcn, "
        "gp_practice, social_care, unknown",
        "organisations.csv: row 5, column ods_code: RAA is also on row 2",
    ]
    assert database_state() == before


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (",Trust,acute,QAA,London", "row 3, column ods_code: is empty; a value is required"),
        ("RAA,,acute,QAA,London", "row 3, column name: is empty; a value is required"),
        ("RAA,Trust,acute,QAA,", "row 3, column region: is empty; a value is required"),
        ("R-1,Trust,acute,QAA,London", "row 3, column ods_code: 'R-1' is not an ODS code"),
        ("RAA,Trust,acute,RGT,London", "row 3, column icb_code: RGT is not an ICB"),
        ("QBB,NHS B ICB,icb,QAA,London", "row 3, column icb_code: an ICB's icb_code must be"),
    ],
)
def test_import_rejects_each_bad_required_value(tmp_path, row, message):
    path = write(tmp_path, f"{HEADER}\nQAA,NHS A ICB,icb,QAA,London\n{row}\n")

    [problem] = rejected(path=path, effective_from=APRIL_2026)

    assert problem.startswith(f"organisations.csv: {message}")
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ("acute;theatre,,", "column care_settings: 'theatre' is not a care setting"),
        (",31/03/2026,", "column opened_on: '31/03/2026' is not a date; use YYYY-MM-DD"),
        (",,2026-02-30", "column closed_on: '2026-02-30' is not a date"),
        (",2026-04-01,2026-03-31", "column closed_on: is before opened_on"),
    ],
)
def test_import_rejects_each_bad_optional_value(tmp_path, values, message):
    path = write(
        tmp_path,
        f"{HEADER},care_settings,opened_on,closed_on\n"
        "QAA,NHS A ICB,icb,QAA,London,ics,,\n"
        f"RAA,Trust,acute,QAA,London,{values}\n",
    )

    [problem] = rejected(path=path, effective_from=APRIL_2026)

    assert problem.startswith(f"organisations.csv: row 3, {message}")


def test_import_rejects_missing_and_unknown_columns(tmp_path):
    path = write(tmp_path, "ods_code,name,org_type,icb_code,closed_date\nRAA,Trust,acute,QAA,\n")

    assert rejected(path=path, effective_from=APRIL_2026) == [
        "organisations.csv: row 1, column region: missing required column",
        "organisations.csv: row 1, column closed_date: unknown column; the columns are "
        "ods_code, name, org_type, icb_code, region, care_settings, opened_on, closed_on",
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("organisations.txt", b"anything", "is neither a .csv nor an .xlsx file"),
        ("organisations.csv", b"ods_code,name\n\xff\xfe\n", "is not UTF-8 text"),
        ("organisations.csv", b"", "is empty"),
        ("organisations.xlsx", b"not a workbook", "is not a readable .xlsx workbook"),
    ],
)
def test_import_rejects_unreadable_files(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)

    [problem] = rejected(path=path, effective_from=APRIL_2026)

    assert problem.startswith(f"{name}: {message}")


def test_import_rejects_a_missing_file(tmp_path):
    assert rejected(path=tmp_path / "gone.csv", effective_from=APRIL_2026) == [
        "gone.csv: no such file"
    ]


def test_import_reports_progress_row_by_row():
    calls = []

    services.import_organisations(
        path=STRUCTURE_2022, effective_from=JULY_2022, progress=lambda *a: calls.append(a)
    )

    assert calls[0] == (1, 247) and calls[-1] == (247, 247)


def test_import_successions_closes_each_predecessor_the_day_before():
    import_nhs_structure()

    frimley = Organisation.objects.get(ods_code="QNQ")
    assert frimley.closed_on == datetime.date(2026, 3, 31)
    assert set(frimley.successions.values_list("successor__ods_code", "succession_type")) == {
        ("S0E4D", "split"),
        ("S9B9J", "split"),
        ("QRL", "acquisition"),
    }
    assert Organisation.objects.get(ods_code="QRL").closed_on is None


def test_import_successions_of_only_a_part_leaves_the_predecessor_open(tmp_path):
    IcbFactory(ods_code="QAA")
    IcbFactory(ods_code="QBB")
    path = write(
        tmp_path,
        "predecessor_ods_code,successor_ods_code,succession_date,succession_type\n"
        "QAA,QBB,2026-04-01,acquisition\n",
        name="successions.csv",
    )

    result = services.import_successions(path=path)

    assert result == services.SuccessionResult(created=1)
    assert Organisation.objects.get(ods_code="QAA").closed_on is None


def test_import_successions_rejects_unknown_codes_types_and_dates_and_changes_nothing(tmp_path):
    succession = SuccessionFactory()
    before = database_state()
    old, new = succession.predecessor.ods_code, succession.successor.ods_code
    path = write(
        tmp_path,
        "predecessor_ods_code,successor_ods_code,succession_date,succession_type\n"
        f"{old},QZZ,2026-04-01,merger\n"
        f"{old},{new},1 April 2026,takeover\n"
        f"{old},{old},2026-04-01,merger\n"
        f"{old},QZZ,2026-04-01,merger\n",
        name="successions.csv",
    )

    with pytest.raises(ImportRejected) as caught:
        services.import_successions(path=path)

    assert caught.value.messages == [
        "successions.csv: row 2, column successor_ods_code: no organisation has ODS code QZZ; "
        "import it first",
        "successions.csv: row 3, column succession_date: '1 April 2026' is not a date; use "
        "YYYY-MM-DD, like 2026-04-01",
        "successions.csv: row 3, column succession_type: 'takeover' is not a succession type; "
        "use one of merger, split, acquisition",
        "successions.csv: row 4, column successor_ods_code: an organisation cannot succeed itself",
        "successions.csv: row 5, column successor_ods_code: no organisation has ODS code QZZ; "
        "import it first",
        "successions.csv: row 5, column successor_ods_code: the same succession is on row 2",
    ]
    assert database_state() == before
