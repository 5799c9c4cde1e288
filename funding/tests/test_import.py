"""northstar import-funding: the demo file loads; each bad file is refused
with its row and column, and nothing from it is recorded."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from core.tables import ImportRejected
from funding.demo import DEMO_FUNDING
from funding.models import FundingLine, FundingYear
from funding.services import current_financial_year, import_funding
from funding.tests.conftest import COLUMNS, org, write_csv

pytestmark = pytest.mark.django_db

GOOD = [
    "RXN",
    "2024/25",
    "700000000",
    "9000000",
    "5000000",
    "digital_aspirant",
    "capital",
    "3000000",
    "Aspirant wave 2",
    "smart_foundations",
    "epr",
]


def test_the_demo_file_loads_through_the_command(reference, capsys):
    call_command("import-funding", str(DEMO_FUNDING))
    assert "35 organisation-years and 175 funding lines recorded" in capsys.readouterr().out
    rxn = FundingYear.objects.filter(organisation=org("RXN"))
    assert [y.year for y in rxn.order_by("year")] == [2022, 2023, 2024, 2025, 2026]
    assert FundingLine.objects.filter(funding_year__in=rxn, kind="capital").count() == 15


def test_importing_the_same_file_again_duplicates_nothing(reference):
    import_funding(path=DEMO_FUNDING)
    import_funding(path=DEMO_FUNDING)
    assert FundingYear.objects.count() == 35
    assert FundingLine.objects.count() == 175


def test_a_year_in_the_file_replaces_that_year_whole(reference, tmp_path):
    import_funding(
        path=write_csv(
            tmp_path / "a.csv",
            [GOOD, ["RXN", "2024/25", "", "", "", "ics", "revenue", "10", "", "", ""]],
        )
    )
    changed = [*GOOD[:7], "4000000", *GOOD[8:]]
    import_funding(path=write_csv(tmp_path / "b.csv", [changed]))
    year = FundingYear.objects.get(organisation=org("RXN"), year=2024)
    assert [(line.source, line.amount) for line in year.lines.all()] == [
        ("digital_aspirant", 4000000)
    ]


def test_an_xlsx_file_loads_and_source_names_are_read_in_words(reference, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    sheet.append(
        [
            "RXN",
            "2025/26",
            650000000,
            8000000,
            4000000,
            "Charitable funds",
            "Revenue",
            250000,
            "",
            "",
            "",
        ]
    )
    workbook.save(tmp_path / "funding.xlsx")
    import_funding(path=tmp_path / "funding.xlsx")
    line = FundingLine.objects.get()
    assert (line.source, line.kind, line.amount) == ("charitable", "revenue", 250000)


NEXT_BUT_ONE = current_financial_year() + 2
BAD = {
    "IT spend above total expenditure": (
        ["RXL", "2024/25", "10000000", "8000000", "3000000", "", "", "", "", "", ""],
        "row 3, column it_capital_spend: IT spend (revenue 8000000 + capital 3000000 = 11000000) is above total expenditure (10000000)",
    ),
    "a negative amount": (
        ["RXL", "2024/25", "600000000", "8000000", "3000000", "ics", "capital", "-500", "", "", ""],
        "row 3, column amount: -500 is negative",
    ),
    "a negative total": (
        ["RXL", "2024/25", "600000000", "-8000000", "3000000", "", "", "", "", "", ""],
        "row 3, column it_revenue_spend: -8000000 is negative",
    ),
    "an unknown source": (
        [
            "RXL",
            "2024/25",
            "600000000",
            "8000000",
            "3000000",
            "lottery",
            "capital",
            "500",
            "",
            "",
            "",
        ],
        "row 3, column source: 'lottery' is not a funding source",
    ),
    "a year beyond the next": (
        [
            "RXL",
            f"{NEXT_BUT_ONE}/{(NEXT_BUT_ONE + 1) % 100:02d}",
            "600000000",
            "8000000",
            "3000000",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        "row 3, column year: ",
    ),
    "a year that is not a financial year": (
        ["RXL", "2024/26", "600000000", "8000000", "3000000", "", "", "", "", "", ""],
        "row 3, column year: '2024/26' is not a financial year like 2025/26",
    ),
    "a domain outside its measure": (
        [
            "RXL",
            "2024/25",
            "600000000",
            "8000000",
            "3000000",
            "ics",
            "capital",
            "500",
            "",
            "smart_foundations",
            "cyber-security",
        ],
        "row 3, column domains: 'cyber-security' is not a domain of the measure 'smart_foundations'",
    ),
    "an unknown organisation": (
        ["ZZZ99", "2024/25", "600000000", "8000000", "3000000", "", "", "", "", "", ""],
        "row 3, column ods_code: ZZZ99 is not an organisation in Northstar",
    ),
    "a year in other digits": (
        ["RXN", "²²²²/26", "700000000", "9000000", "5000000", "ics", "revenue", "10", "", "", ""],
        "row 3, column year: '²²²²/26' is not a financial year like 2025/26",
    ),
    "pence beyond two places": (
        [
            "RXN",
            "2024/25",
            "700000000",
            "9000000",
            "5000000",
            "ics",
            "revenue",
            "10.001",
            "",
            "",
            "",
        ],
        "row 3, column amount: 10.001 has more than two decimal places",
    ),
    "an amount too large to hold": (
        ["RXL", "2023/24", "1e20", "9000000", "5000000", "ics", "revenue", "10", "", "", ""],
        "row 3, column total_expenditure: 1E+20 is too large",
    ),
    "totals that differ between rows": (
        ["RXN", "2024/25", "700000001", "9000000", "5000000", "ics", "revenue", "10", "", "", ""],
        "row 3, column total_expenditure: the totals differ from row 2's",
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_row_is_refused_by_row_and_column_and_nothing_is_recorded(reference, tmp_path, case):
    row, message = BAD[case]
    path = write_csv(tmp_path / "funding.csv", [GOOD, row])
    with pytest.raises(ImportRejected) as rejected:
        import_funding(path=path)
    assert any(m.startswith(f"funding.csv: {message}") for m in rejected.value.messages), (
        rejected.value.messages
    )
    assert FundingYear.objects.count() == 0 and FundingLine.objects.count() == 0


def test_the_year_after_next_is_named_in_the_refusal(reference, tmp_path):
    nxt = current_financial_year() + 1
    row = BAD["a year beyond the next"][0]
    with pytest.raises(ImportRejected) as rejected:
        import_funding(path=write_csv(tmp_path / "f.csv", [row]))
    assert (
        f"funding can be recorded up to {nxt}/{(nxt + 1) % 100:02d}" in rejected.value.messages[0]
    )
    # next year itself is allowed: budgets are set before it starts
    import_funding(
        path=write_csv(tmp_path / "g.csv", [[*row[:1], f"{nxt}/{(nxt + 1) % 100:02d}", *row[2:]]])
    )


def test_the_command_refuses_a_bad_file_and_says_nothing_was_imported(reference, tmp_path):
    path = write_csv(tmp_path / "funding.csv", [GOOD, BAD["an unknown source"][0]])
    with pytest.raises(CommandError) as error:
        call_command("import-funding", str(path))
    assert "row 3, column source" in str(error.value)
    assert "nothing was imported" in str(error.value)
    assert not FundingYear.objects.exists()


def test_a_missing_column_is_refused(reference, tmp_path):
    path = write_csv(tmp_path / "f.csv", [GOOD[:4]], columns=COLUMNS[:4])
    with pytest.raises(ImportRejected) as rejected:
        import_funding(path=path)
    assert "row 1, column it_capital_spend: missing required column" in rejected.value.messages[0]


def test_today_decides_the_latest_year(monkeypatch):
    assert current_financial_year(datetime.date(2026, 3, 31)) == 2025
    assert current_financial_year(datetime.date(2026, 4, 1)) == 2026
