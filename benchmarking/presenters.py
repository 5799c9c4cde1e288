"""Benchmark figures shaped for the pages: words, choosers, table rows,
charts and CSV downloads."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import slugify
from markupsafe import Markup

from benchmarking import charts
from benchmarking.forms import ChooserForm
from benchmarking.models import PEER_GROUP_RULES, PeerGroup
from core.presenters import date, score
from core.tables import table_response
from organisations.models import CareSetting, OrganisationType, SimilarBasis, SizeMeasure
from organisations.presenters import TYPE_GROUPS

QUARTILES = {1: "Lowest quarter", 2: "Second quarter", 3: "Third quarter", 4: "Highest quarter"}
# NHS.UK tag colours by quartile; the words in the tag carry the meaning.
QUARTILE_TAGS = {1: "orange", 2: "yellow", 3: "aqua-green", 4: "green"}
PRIVATE = "Not published: only your organisation can see this"
STATISTICS = ("minimum", "lower_quartile", "median", "upper_quartile", "maximum")


@dataclass
class Choice:
    """What the reader chose, or the defaults: round, care setting, peer group."""

    organisation: object
    rounds: list
    round: object
    assessments: list
    assessment: object
    group: PeerGroup
    ics: object

    @property
    def care_setting(self):
        return self.assessment.care_setting if self.assessment else ""

    @property
    def query(self):
        return {
            "round": self.round.name if self.round else "",
            "care_setting": self.care_setting,
            "group": self.group.value,
        }


# Addresses and words


def organisation_page_url(ods_code, query=None):
    return with_query(reverse("benchmarking:organisation", args=[ods_code]), query)


def with_query(path, query):
    query = {key: value for key, value in (query or {}).items() if value}
    return f"{path}?{urlencode(query)}" if query else path


def download_url(query, chart):
    return "?" + urlencode({**{k: v for k, v in query.items() if v}, "download": chart})


def breadcrumbs(*pages):
    return [{"text": "Home", "href": reverse("home")}] + [
        {"text": text, "href": href} for text, href in pages
    ]


def care_setting_name(value):
    return dict(CareSetting.choices).get(value, value)


def round_name(round_):
    if round_.kind == round_.Kind.PUBLISHED:
        return f"{round_.name}: published by NHS England"
    return round_.name


def source_name(round_):
    """Where a round's scores come from, in words."""
    if round_.kind == round_.Kind.PUBLISHED:
        return "published by NHS England"
    return "self-assessed in Northstar"


def source_label(round_):
    words = source_name(round_)
    return words[0].upper() + words[1:]


def round_and_source(round_):
    return f"{round_.name}, {source_name(round_)}"


def too_few(peers):
    return f"Too few to rank ({peers} organisation{'' if peers == 1 else 's'})"


def fallback_sentence(organisation, compared_as):
    """Why similar organisations are its sector here."""
    kind = TYPE_GROUPS[organisation.org_type].lower()
    return (
        f"Northstar holds no published size or list of similar organisations for {kind}, so "
        f"{organisation.name} is compared with its sector instead: {kind} answering for the "
        "same care setting."
    )


def group_name(choice):
    """Who the peers are, in words."""
    organisation = choice.organisation
    setting = care_setting_name(choice.care_setting).lower()
    if choice.group == PeerGroup.NATIONAL:
        if choice.care_setting == CareSetting.ICS:
            return "every integrated care system"
        return f"every organisation answering for {setting} care"
    if choice.group == PeerGroup.SECTOR:
        return f"{TYPE_GROUPS[organisation.org_type].lower()} answering for {setting} care"
    if choice.group == PeerGroup.ICS:
        return f"the members of {choice.ics.name}" if choice.ics else "the members of its ICS"
    return f"similar {TYPE_GROUPS[organisation.org_type].lower()}"


def percentile(measure):
    if measure.percentile is not None:
        return f"{measure.percentile:.0f}% of peers"
    if measure.score is not None and measure.spread and not measure.spread.ranked:
        return too_few(measure.peers)
    return "–"


def change(measure, previous_round):
    """The change since the previous comparable round, naming it and its source."""
    if previous_round is None:
        return "No earlier comparable round"
    if measure.change is None:
        return f"No score in {round_and_source(previous_round)}"
    was = f"from {score(measure.previous_score)}"
    if measure.previous_quartile:
        was += f", {QUARTILES[measure.previous_quartile].lower()}"
    return f"{measure.change:+.1f} since {round_and_source(previous_round)} ({was})"


def median(spread):
    return score(spread.median) if spread and spread.ranked else "–"


def coverage(measure):
    if not measure.applicable_domains:
        return "Not known (measure score only)"
    return f"{measure.scored_domains} of {measure.applicable_domains} domains"


def middle_half(spread):
    if not spread:
        return "–"
    if not spread.ranked:
        return too_few(spread.peers)
    return f"{score(spread.lower_quartile)} to {score(spread.upper_quartile)}"


def full_range(spread):
    """Lowest to highest; every score when there are too few to rank."""
    if not spread:
        return "–"
    if not spread.ranked:
        return ", ".join(score(value) for value in spread.values)
    return f"{score(spread.minimum)} to {score(spread.maximum)}"


def quartile_tag(quartile):
    """A coloured NHS.UK tag whose words say the quartile (never colour alone)."""
    if not quartile:
        return "Not ranked"
    return {
        "html": Markup('<strong class="nhsuk-tag nhsuk-tag--{}">{}</strong>').format(
            QUARTILE_TAGS[quartile], QUARTILES[quartile]
        )
    }


def score_tag(value, quartile):
    """A score in a tag coloured by its quartile, with the quartile as Q1–Q4
    (spelt out for screen readers, and in the key above the table)."""
    if value is None or not quartile:
        return numeric(score(value))
    return {
        "html": Markup(
            '<strong class="nhsuk-tag nhsuk-tag--{} ns-nowrap">{} <span aria-hidden="true">Q{}</span>'
            '<span class="nhsuk-u-visually-hidden">, {}</span></strong>'
        ).format(QUARTILE_TAGS[quartile], score(value), quartile, QUARTILES[quartile].lower())
    }


def quartile_key():
    """The key to the tags: each quartile's tag, with its words."""
    return [
        {
            "html": Markup('<strong class="nhsuk-tag nhsuk-tag--{}">Q{}</strong> {}').format(
                QUARTILE_TAGS[quartile], quartile, words
            )
        }
        for quartile, words in QUARTILES.items()
    ]


def numeric(text):
    return {"text": text, "format": "numeric"}


# Choosers: GET forms that work without JavaScript


def chooser(rounds, chosen, choice=None):
    """The round chooser; with the reader's ``choice``, the care setting (when
    the organisation has more than one) and the peer group too."""
    form = ChooserForm(
        initial={
            "round": chosen.name if chosen else None,
            "care_setting": choice.care_setting if choice else None,
            "group": choice.group.value if choice else None,
        }
    )
    form.fields["round"].choices = [
        (r.name, round_name(r) if r.has_published else f"{r.name} (nothing published yet)")
        for r in rounds
    ]
    if choice is None or len(choice.assessments) < 2:
        del form.fields["care_setting"]
    else:
        form.fields["care_setting"].choices = [
            (a.care_setting, care_setting_name(a.care_setting)) for a in choice.assessments
        ]
    if choice is None:
        del form.fields["group"]
    else:
        form.fields["group"].choices = [(group.value, group.label) for group in PeerGroup]
    return form


GROUP_HINTS = {group.value: PEER_GROUP_RULES[group] for group in PeerGroup}


def _choosers(choice):
    return {
        "choice": choice,
        "chooser": chooser(choice.rounds, choice.round, choice),
        "group_hints": GROUP_HINTS,
        "rule": PEER_GROUP_RULES[choice.group],
        "peers": group_name(choice),
        "setting_name": care_setting_name(choice.care_setting).lower(),
        "private_notice": PRIVATE,
    }


# The organisation's benchmark page

MEASURE_HEAD = [
    "Measure",
    "Score",
    "Higher than",
    "Quarter",
    "Peer median",
    "Middle half of peers",
    "Lowest to highest",
    "Peers",
    "Change since the previous comparable round",
    "Coverage",
]
MEASURE_CSV_HEAD = [
    "measure_key",
    "measure",
    "score",
    "published",
    "ranked",
    "percentile",
    "quartile",
    "peers",
    *STATISTICS,
    "peer_scores",
    "previous_round",
    "previous_round_source",
    "previous_score",
    "previous_quartile",
    "scored_domains",
    "applicable_domains",
]


def measure_rows(benchmark, query):
    ods_code = benchmark.organisation.ods_code
    previous_round = benchmark.previous_round
    return [
        [
            {
                "text": m.name,
                "href": with_query(reverse("benchmarking:measure", args=[ods_code, m.key]), query),
            },
            numeric(score(m.score)),
            percentile(m),
            quartile_tag(m.quartile),
            numeric(median(m.spread)),
            middle_half(m.spread),
            full_range(m.spread),
            numeric(str(m.peers)),
            change(m, previous_round),
            coverage(m),
        ]
        for m in benchmark.measures
    ]


def spread_csv(spread):
    """The spread's figures for a CSV row: no quartiles when too few to rank,
    but every score instead (semicolon-separated)."""
    if spread is None:
        return ["" for _ in STATISTICS] + [""]
    shown = STATISTICS if spread.ranked else ("minimum", "maximum")
    return [
        *(_number(getattr(spread, name)) if name in shown else "" for name in STATISTICS),
        ";".join(str(_number(value)) for value in spread.values),
    ]


def measure_csv_rows(benchmark):
    previous = benchmark.previous_round
    for m in benchmark.measures:
        yield [
            m.key,
            m.name,
            _number(m.score),
            "yes" if benchmark.published else "no",
            "yes" if m.ranked else "no",
            _number(m.percentile),
            m.quartile or "",
            m.peers,
            *spread_csv(m.spread),
            previous.name if previous else "",
            source_name(previous) if previous else "",
            _number(m.previous_score),
            m.previous_quartile or "",
            m.scored_domains,
            m.applicable_domains,
        ]


def measures_chart(benchmark, peers):
    rows = [
        charts.SpreadRow(m.name, m.spread, m.score, private=not benchmark.published)
        for m in benchmark.measures
    ]
    title = f"{benchmark.organisation.name}: the seven measures against {peers}"
    return charts.spread_chart("measures-chart", title, rows)


def trend_points(points, measure_key=None):
    """Chart points: the overall score, or one measure's score, each in the
    series of its source."""
    return [
        charts.Point(p.round.name, p.score(measure_key), series=source_label(p.round))
        for p in points
    ]


def basis(point):
    if point.overall is None:
        return "No score"
    if point.comparable:
        return "Over domains comparable with the previous round"
    return "Over every domain"


def period(round_):
    return f"{date(round_.opens_on)} to {date(round_.closes_on)}"


def change_since(point, measure_key=None):
    """The change since the previous comparable round, naming it and its source."""
    if point.compared_round is None:
        return "No earlier comparable round"
    change = point.change(measure_key)
    if change is None:
        return f"No score in {round_and_source(point.compared_round)}"
    return f"{change:+.1f} since {round_and_source(point.compared_round)}"


def sources_sentence(points):
    """Said when a trend mixes sources, which the chart draws apart."""
    if len({p.round.kind for p in points}) < 2:
        return ""
    return (
        "This trend mixes two sources: scores published by NHS England (solid blue line, "
        "circles) and self-assessments in Northstar (dashed purple line, squares). Points from "
        "different sources are never joined, and rounds of the same period are never compared "
        "with each other: a difference between sources may be a change of method, not of "
        "maturity. Each change is measured from the previous comparable round, named beside it."
    )


def _trend(organisation, points, what, measure_key=None, *, with_basis=False):
    rows = [
        [
            p.round.name,
            source_label(p.round),
            period(p.round),
            numeric(score(p.score(measure_key))),
            change_since(p, measure_key),
            *([basis(p)] if with_basis else []),
        ]
        for p in points
    ]
    head = ["Round", "Source", "Period", "Score", "Change since the previous comparable round"]
    return {
        "chart": charts.trend_chart(
            "trend-chart",
            f"{organisation.name}: {what} by round",
            trend_points(points, measure_key),
        ),
        "head": [*head, "What it is over"] if with_basis else head,
        "rows": rows,
        "what": what,
        "sources": sources_sentence(points),
    }


TREND_CSV_HEAD = [
    "round",
    "source",
    "period_start",
    "period_end",
    "score",
    "compared_with_round",
    "compared_with_source",
    "change",
]


def trend_csv_rows(points, measure_key=None):
    for p in points:
        compared = p.compared_round
        yield [
            p.round.name,
            source_name(p.round),
            p.round.opens_on.isoformat(),
            p.round.closes_on.isoformat(),
            _number(p.score(measure_key)),
            compared.name if compared else "",
            source_name(compared) if compared else "",
            _number(p.change(measure_key)),
        ]


def _figure(value):
    return "–" if value is None else f"{value:,.0f}"


def why_similar(similar, organisation):
    if similar.basis == SimilarBasis.PUBLISHED:
        return "On its published list of similar trusts"
    measure = SizeMeasure(similar.measure).label
    kind = OrganisationType(organisation.org_type).label.lower()
    return (
        f"Among the nearest {kind}s by {measure[0].lower()}{measure[1:]}: "
        f"{_figure(similar.size)} against {_figure(similar.own_size)}"
    )


def similar_rows(similar, organisation):
    return [
        [
            {
                "text": s.organisation.name,
                "href": organisation_page_url(s.organisation.ods_code, {"group": "similar"}),
            },
            OrganisationType(s.organisation.org_type).label,
            s.organisation.region or "–",
            numeric(_figure(s.beds)),
            why_similar(s, organisation),
            s.source,
        ]
        for s in similar
    ]


SIMILAR_HEAD = ["Organisation", "Type", "Region", "General and acute beds", "Why similar", "Source"]


def organisation_page(choice, benchmark, trend, *, similar=()):
    organisation = choice.organisation
    context = {
        **_choosers(choice),
        "organisation": organisation,
        "benchmark": benchmark,
        "head": MEASURE_HEAD,
        "download": {chart: download_url(choice.query, chart) for chart in ("measures", "trend")},
        "ics_page": reverse("benchmarking:ics", args=[choice.ics.ods_code]) if choice.ics else None,
        "breadcrumbs": breadcrumbs(("National benchmarks", national_url(choice.round))),
    }
    if benchmark and benchmark.compared_as:
        context["fallback"] = fallback_sentence(organisation, benchmark.compared_as)
        context["peers"] = f"its sector, {TYPE_GROUPS[organisation.org_type].lower()}"
    if similar:
        context["similar"] = {"head": SIMILAR_HEAD, "rows": similar_rows(similar, organisation)}
    if benchmark and benchmark.has_scores:
        context["chart"] = measures_chart(benchmark, context["peers"])
        context["rows"] = measure_rows(benchmark, choice.query)
    if trend:
        context["trend"] = _trend(organisation, trend, "overall score", with_basis=True)
    return context


def organisation_download(chart, choice, benchmark, trend):
    name = [choice.organisation.ods_code, choice.round and choice.round.name, choice.care_setting]
    if chart == "measures" and benchmark and benchmark.has_scores:
        return csv_response([*name, choice.group], MEASURE_CSV_HEAD, measure_csv_rows(benchmark))
    if chart == "trend" and trend:
        return csv_response(
            [choice.organisation.ods_code, choice.care_setting, "trend"],
            [*TREND_CSV_HEAD, "over_comparable_domains"],
            (
                [*row, "yes" if p.comparable else "no"]
                for row, p in zip(trend_csv_rows(trend), trend, strict=True)
            ),
        )
    return None


# One measure's distribution across the peers


def distribution_rows(peers):
    """Highest first, each linked to its own benchmark page."""
    return [
        [
            numeric(str(rank)),
            {
                "text": f"{peer.name} (you)" if peer.is_you else peer.name,
                "href": organisation_page_url(peer.ods_code),
            },
            peer.ods_code,
            numeric(score(peer.score)),
        ]
        for rank, peer in enumerate(reversed(peers), start=1)
    ]


def measure_page(choice, measure, benchmark, peers, trend):
    context = {
        **_choosers(choice),
        "organisation": choice.organisation,
        "measure": measure,
        "benchmark": benchmark,
        "mine": next((m for m in benchmark.measures if m.key == measure.key), None)
        if benchmark
        else None,
        "download": {
            chart: download_url(choice.query, chart) for chart in ("distribution", "trend")
        },
        "breadcrumbs": breadcrumbs(
            (
                choice.organisation.name,
                organisation_page_url(choice.organisation.ods_code, choice.query),
            )
        ),
    }
    if any(not p.is_you for p in peers):
        dots = [charts.Dot(p.name, p.score, p.is_you) for p in peers]
        title = f"{measure.name}: the score of each of {group_name(choice)}"
        context["chart"] = charts.dot_chart("distribution-chart", title, dots)
        context["rows"] = distribution_rows(peers)
    if trend:
        context["trend"] = _trend(choice.organisation, trend, measure.name.lower(), measure.key)
    return context


def measure_download(chart, choice, measure, peers, trend):
    name = [choice.organisation.ods_code, choice.round and choice.round.name, choice.care_setting]
    if chart == "distribution" and peers:
        return csv_response(
            [*name, choice.group, measure.key],
            ["rank", "ods_code", "organisation", "score", "is_you"],
            (
                [rank, p.ods_code, p.name, _number(p.score), "yes" if p.is_you else "no"]
                for rank, p in enumerate(reversed(peers), start=1)
            ),
        )
    if chart == "trend" and trend:
        return csv_response(
            [choice.organisation.ods_code, choice.care_setting, measure.key, "trend"],
            TREND_CSV_HEAD,
            trend_csv_rows(trend, measure.key),
        )
    return None


# An ICS's members side by side


def member_name(member, members):
    """A member answering for more than one care setting is named with each."""
    settings = sum(1 for m in members if m.organisation.pk == member.organisation.pk)
    if settings > 1:
        return f"{member.organisation.name} ({care_setting_name(member.care_setting).lower()})"
    return member.organisation.name


def member_rows(members, measures, query):
    return [
        [
            {
                "text": member_name(member, members),
                "href": organisation_page_url(
                    member.organisation.ods_code, {**query, "care_setting": member.care_setting}
                ),
            },
            *(score_tag(member.scores.get(m.key), member.quartiles.get(m.key)) for m in measures),
            numeric(score(member.overall)),
        ]
        for member in members
    ]


def spread_rows(spreads, measures):
    """The spread between the members, as rows under them."""

    def row(words, value):
        return [
            {"text": words},
            *(numeric(value(spreads[m.key]) if m.key in spreads else "–") for m in measures),
            "",
        ]

    return [
        row("Members with a score", lambda s: str(s.peers)),
        row("Lowest", lambda s: score(s.minimum)),
        row("Median", lambda s: score(s.median) if s.ranked else too_few(s.peers)),
        row("Highest", lambda s: score(s.maximum)),
        row("Gap between highest and lowest", lambda s: score(s.maximum - s.minimum)),
    ]


RECONSTRUCTED = "reconstructed from the members of today's ICS"


def ics_trend(ics, points):
    """The members' median overall score round by round, across a merger."""
    rows = [
        [
            p.round.name,
            source_label(p.round),
            numeric(str(p.members)),
            numeric(score(p.median)),
            f"Reconstructed from the members of today's ICS, before it was formed on "
            f"{date(ics.opened_on)}"
            if p.reconstructed
            else "Its members when the round opened",
        ]
        for p in points
    ]
    chart_points = [
        charts.Point(p.round.name, p.median, series=source_label(p.round)) for p in points
    ]
    return {
        "chart": charts.trend_chart(
            "ics-trend-chart", f"{ics.name}: its members' median overall score", chart_points
        ),
        "head": ["Round", "Source", "Members with a score", "Median overall score", "Members"],
        "rows": rows,
        "reconstructed": any(p.reconstructed for p in points),
        "sources": "This trend mixes scores published by NHS England (solid blue line, circles) "
        "and self-assessments in Northstar (dashed purple line, squares); points from "
        "different sources are never joined."
        if len({p.round.kind for p in points}) > 1
        else "",
    }


def ics_page(
    ics,
    round_,
    rounds,
    members,
    rows,
    spreads,
    measures,
    *,
    reconstructed=False,
    predecessors=(),
    trend=(),
):
    query = {"round": round_.name if round_ else ""}
    context = {
        "reconstructed": reconstructed,
        "reconstructed_words": RECONSTRUCTED,
        "ics": ics,
        "round": round_,
        "chooser": chooser(rounds, round_),
        "members": members,
        "assessed": rows,
        "head": ["Member", *(m.name for m in measures), "Overall score"],
        "quartile_key": quartile_key(),
        "download": {"members": download_url(query, "members")},
        "breadcrumbs": breadcrumbs(("National benchmarks", national_url(round_))),
    }
    if rows:
        context["rows"] = member_rows(rows, measures, query) + spread_rows(spreads, measures)
    if predecessors:
        context["predecessor_rows"] = member_rows(predecessors, measures, query)
    if trend:
        context["trend"] = ics_trend(ics, trend)
    if spreads:
        chart_rows = [charts.SpreadRow(m.name, spreads.get(m.key)) for m in measures]
        title = f"How the scores of {ics.name}'s members spread on each measure"
        context["chart"] = charts.spread_chart("members-chart", title, chart_rows)
    return context


def ics_download(chart, ics, round_, rows, measures, *, reconstructed=False):
    if chart != "members" or not rows:
        return None
    return csv_response(
        [ics.ods_code, round_.name, "members"],
        [
            "ods_code",
            "organisation",
            "care_setting",
            *(m.key for m in measures),
            *(f"{m.key}_national_quartile" for m in measures),
            "overall_score",
            "members_by",
        ],
        (
            [
                r.organisation.ods_code,
                r.organisation.name,
                r.care_setting,
                *(_number(r.scores.get(m.key)) for m in measures),
                *(r.quartiles.get(m.key, "") for m in measures),
                _number(r.overall),
                RECONSTRUCTED if reconstructed else "members when the round opened",
            ]
            for r in rows
        ),
    )


# National: every measure by sector


def national_url(round_):
    return with_query(reverse("benchmarking:national"), {"round": round_.name if round_ else ""})


def sector_name(sector):
    kind = TYPE_GROUPS.get(sector.org_type, sector.org_type)
    return f"{kind}, {care_setting_name(sector.care_setting).lower()}"


def sector_rows(sectors):
    return [
        [
            sector_name(s),
            numeric(str(s.spread.peers)),
            numeric(median(s.spread)),
            middle_half(s.spread),
            full_range(s.spread),
        ]
        for s in sectors
    ]


def national_page(round_, rounds, sectors):
    return {
        "round": round_,
        "chooser": chooser(rounds, round_),
        "measures": [
            {
                "measure": measure,
                "chart": charts.spread_chart(
                    f"sector-chart-{measure.key}",
                    f"{measure.name}: how scores spread in each sector",
                    [charts.SpreadRow(sector_name(s), s.spread) for s in found],
                ),
                "rows": sector_rows(found),
                "download": download_url({"round": round_.name}, measure.key),
            }
            for measure, found in sectors.items()
            if found
        ],
        "download": {"sectors": download_url({"round": round_.name if round_ else ""}, "sectors")},
        "breadcrumbs": breadcrumbs(),
    }


def national_download(chart, round_, sectors):
    """``sectors``: every measure; a measure's key: that measure alone."""
    if chart != "sectors":
        sectors = {m: found for m, found in sectors.items() if m.key == chart}
    if not any(sectors.values()):
        return None
    return csv_response(
        [round_.name, chart, "by sector" if chart != "sectors" else ""],
        [
            "measure_key",
            "measure",
            "organisation_type",
            "care_setting",
            "peers",
            "ranked",
            *STATISTICS,
            "peer_scores",
        ],
        (
            [
                measure.key,
                measure.name,
                s.org_type,
                s.care_setting,
                s.spread.peers,
                "yes" if s.spread.ranked else "no",
                *spread_csv(s.spread),
            ]
            for measure, found in sectors.items()
            for s in found
        ),
    )


# CSV


def _number(value):
    return "" if value is None else round(value, 4)


def csv_response(name_parts, head, rows):
    """A CSV download named from its parts, e.g. rxn-2025-nhs-england-acute-national.csv."""
    filename = "-".join(slugify(str(part)) for part in name_parts if part) + ".csv"
    return table_response(filename, head, rows)
