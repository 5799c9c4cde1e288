"""Funding figures shaped for the pages, charts, tables and downloads."""

from decimal import Decimal

from django.urls import reverse

from core.tables import table_response
from funding import charts
from funding.models import Kind, Source
from funding.models import financial_year as year_name
from funding.queries import BENCHMARK_PERCENT, share
from funding.services import IMPORT_OPTIONAL, IMPORT_REQUIRED

MILLION = Decimal(1_000_000)
BENCHMARK_SOURCE = "National Audit Office, Digital transformation in the NHS (2020)"


def money(value):
    """£612.40m; a dash when there is none."""
    if value is None:
        return "–"
    return f"£{value / MILLION:,.2f}m"


def percent(value):
    return "–" if value is None else f"{value:.1f}%"


def _numeric(text):
    return {"text": text, "format": "numeric"}


def year_slug(year):
    """2025 → "2025-26", for addresses."""
    return year_name(year).replace("/", "-")


def peer_words(peer):
    """The peers' median in words, saying how many it is of."""
    if peer is None or peer.count == 0:
        return "no other organisation recorded theirs"
    if peer.too_few:
        return f"too few to compare ({peer.count})"
    return f"{percent(peer.percent)} (median of {peer.count} organisations)"


def gap_words(line, measures):
    if not line.measure:
        return ""
    words = measures.get(line.measure, line.measure)
    return f"{words}: {', '.join(line.domains)}" if line.domains else words


# One organisation


def headline(funding_year, peer):
    """What the latest year says, in a sentence or two."""
    if funding_year is None:
        return None
    it_share = share(funding_year.it_spend, funding_year.total_expenditure)
    above = "at or above" if it_share >= BENCHMARK_PERCENT else "below"
    return {
        "year": year_name(funding_year.year),
        "share": percent(it_share),
        "benchmark": f"{BENCHMARK_PERCENT:g}%",
        "above": above,
        "peers": peer_words(peer),
        "it_spend": money(funding_year.it_spend),
        "total": money(funding_year.total_expenditure),
    }


def spend_figures(years, recorded):
    """The spend chart and its table, oldest year first."""
    bars, rows = [], []
    for year in years:
        found = recorded.get(year)
        bars.append(
            charts.SpendBar(
                year_name(year),
                found.it_capital_spend if found else None,
                found.it_revenue_spend if found else None,
            )
        )
        if found is None:
            rows.append([year_name(year), *[_numeric("Not recorded")] * 5])
            continue
        rows.append(
            [
                year_name(year),
                _numeric(money(found.total_expenditure)),
                _numeric(money(found.it_capital_spend)),
                _numeric(money(found.it_revenue_spend)),
                _numeric(money(found.it_spend)),
                _numeric(percent(share(found.it_capital_spend, found.it_spend))),
            ]
        )
    return {
        "chart": charts.spend_chart("spend-chart", "IT capital and revenue spend by year", bars),
        "head": [
            "Financial year",
            "Total expenditure",
            "IT capital",
            "IT revenue",
            "IT spend",
            "Capital share of IT spend",
        ],
        "rows": rows,
    }


def share_figures(years, recorded, peers):
    """The IT share chart and its table, oldest year first."""
    bars, rows = [], []
    for year in years:
        found = recorded.get(year)
        peer = peers.get(year)
        it_share = share(found.it_spend, found.total_expenditure) if found else None
        bars.append(charts.ShareBar(year_name(year), it_share, peer.percent if peer else None))
        rows.append(
            [
                year_name(year),
                _numeric(percent(it_share) if found else "Not recorded"),
                _numeric(f"{BENCHMARK_PERCENT:g}%"),
                _numeric(peer_words(peer)),
            ]
        )
    return {
        "chart": charts.share_chart(
            "share-chart", "IT spend as a share of total expenditure", bars, BENCHMARK_PERCENT
        ),
        "head": ["Financial year", "IT share", "Benchmark", "Peers' median"],
        "rows": rows,
    }


def line_rows(funding_year, measures, *, removable):
    rows = []
    for line in funding_year.lines.all():
        row = [
            line.get_source_display(),
            line.get_kind_display(),
            _numeric(money(line.amount)),
            line.description or "–",
            gap_words(line, measures) or "–",
        ]
        rows.append(
            {
                "cells": row,
                "id": line.pk,
                "label": f"{line.get_source_display()} {money(line.amount)}",
            }
        )
    return rows if removable else [{"cells": r["cells"]} for r in rows]


def mix_rows(lines):
    """Capital and revenue from each source, with the totals."""
    sums = {}
    for line in lines:
        sums.setdefault(line["source"], {Kind.CAPITAL: Decimal(0), Kind.REVENUE: Decimal(0)})
        sums[line["source"]][line["kind"]] += line["amount"]
    labels = dict(Source.choices)
    rows = [
        [
            labels[source],
            _numeric(money(amounts[Kind.CAPITAL])),
            _numeric(money(amounts[Kind.REVENUE])),
            _numeric(money(amounts[Kind.CAPITAL] + amounts[Kind.REVENUE])),
        ]
        for source, amounts in sorted(sums.items(), key=lambda item: list(labels).index(item[0]))
    ]
    if rows:
        capital = sum(a[Kind.CAPITAL] for a in sums.values())
        revenue = sum(a[Kind.REVENUE] for a in sums.values())
        rows.append(
            [
                "All sources",
                _numeric(money(capital)),
                _numeric(money(revenue)),
                _numeric(money(capital + revenue)),
            ]
        )
    return rows


def year_mix(funding_year):
    return mix_rows(
        {"source": line.source, "kind": line.kind, "amount": line.amount}
        for line in funding_year.lines.all()
    )


MIX_HEAD = ["Source", "Capital", "Revenue", "Total"]
LINE_HEAD = [
    "Source",
    "Capital or revenue",
    "Amount",
    "What it pays for",
    "Gap it is meant to close",
]


# Downloads: in the columns import-funding reads, so a download loads again.

IMPORT_COLUMNS = [*IMPORT_REQUIRED, *IMPORT_OPTIONAL]


def import_rows(funding_years):
    for funding_year in funding_years:
        totals = [
            funding_year.organisation.ods_code,
            year_name(funding_year.year),
            funding_year.total_expenditure,
            funding_year.it_revenue_spend,
            funding_year.it_capital_spend,
        ]
        lines = list(funding_year.lines.all())
        if not lines:
            yield [*totals, "", "", "", "", "", ""]
        for line in lines:
            yield [
                *totals,
                line.source,
                line.kind,
                line.amount,
                line.description,
                line.measure,
                ";".join(line.domains),
            ]


def download(kind, filename_stem, columns, rows):
    if kind not in ("csv", "xlsx"):
        return None
    return table_response(f"{filename_stem}.{kind}", columns, rows)


# The ICS roll-up

ROLLUP_COLUMNS = [
    "ics_ods_code",
    "year",
    "members",
    "members_recorded",
    "total_expenditure",
    "it_revenue_spend",
    "it_capital_spend",
    "it_share_percent",
]


def rollup_export_rows(ics, rollup):
    for year in rollup:
        it_share = share(year.it_spend, year.total_expenditure)
        yield [
            ics.ods_code,
            year_name(year.year),
            len(year.members),
            year.recorded,
            year.total_expenditure,
            year.it_revenue_spend,
            year.it_capital_spend,
            round(it_share, 2) if it_share is not None else "",
        ]


def rollup_rows(rollup):
    rows = []
    for year in rollup:
        it_share = share(year.it_spend, year.total_expenditure)
        rows.append(
            [
                year_name(year.year),
                _numeric(f"{year.recorded} of {len(year.members)}"),
                _numeric(money(year.total_expenditure) if year.recorded else "–"),
                _numeric(money(year.it_capital_spend) if year.recorded else "–"),
                _numeric(money(year.it_revenue_spend) if year.recorded else "–"),
                _numeric(percent(it_share)),
            ]
        )
    return rows


ROLLUP_HEAD = [
    "Financial year",
    "Members that recorded",
    "Total expenditure",
    "IT capital",
    "IT revenue",
    "IT share",
]


def rollup_spend_chart(rollup):
    bars = [
        charts.SpendBar(
            year_name(y.year),
            y.it_capital_spend if y.recorded else None,
            y.it_revenue_spend if y.recorded else None,
        )
        for y in rollup
    ]
    return charts.spend_chart(
        "rollup-chart", "The members' IT capital and revenue spend by year", bars
    )


def member_rows(member_years):
    rows = []
    for member, found in member_years:
        name = {
            "text": member.name,
            "href": reverse("funding:organisation", args=[member.ods_code]),
        }
        if found is None:
            rows.append([name, *[_numeric("Not recorded")] * 4])
            continue
        rows.append(
            [
                name,
                _numeric(money(found.total_expenditure)),
                _numeric(money(found.it_capital_spend)),
                _numeric(money(found.it_revenue_spend)),
                _numeric(percent(share(found.it_spend, found.total_expenditure))),
            ]
        )
    return rows


MEMBER_HEAD = ["Organisation", "Total expenditure", "IT capital", "IT revenue", "IT share"]
