"""Benchmark downloads write names as text, never as a formula a spreadsheet
would run, and figures as numbers."""

import pytest

from core.tests.spreadsheets import PLANTED, csv_rows, quoted

pytestmark = pytest.mark.django_db


def test_benchmark_downloads_quote_a_name_that_would_start_a_formula(signed_in, small_round):
    trust = small_round.trusts["RAA"]
    trust.name = PLANTED[6]
    trust.save()
    head, *rows = csv_rows(signed_in.get("/benchmarks/ics/QAA/?download=members").content)
    named = [row for row in rows if row[0] == "RAA"]
    assert [row[head.index("organisation")] for row in named] == [quoted(PLANTED[6])]
    measures = [m.key for m in small_round.measures]
    figures = [float(named[0][head.index(key)]) for key in measures]  # numbers, unquoted
    assert len(figures) == 7
    head, *rows = csv_rows(signed_in.get("/benchmarks/national/?download=sectors").content)
    assert [int(row[head.index("peers")]) for row in rows]
