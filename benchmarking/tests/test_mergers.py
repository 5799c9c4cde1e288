"""An ICS formed by a merger after a round opened: its figures for that round
are reconstructed from the members of today's ICS, its predecessors' own
scores are shown as theirs, and its trend runs across the merger."""

import datetime
import html

import pytest

from benchmarking import calculation, queries
from benchmarking.tests.conftest import add_assessment, make_round
from benchmarking.tests.test_pages import rows_of, text_of
from organisations.models import Membership
from organisations.tests.factories import IcbFactory, SuccessionFactory, TrustFactory

pytestmark = pytest.mark.django_db
MERGED_ON = datetime.date(2026, 4, 1)


@pytest.fixture
def merger(version):
    """Two ICBs, each with two acute trusts, merged into QNW on 1 April 2026;
    NHS England's 2025 round before the merger, a self-assessed one after."""
    merged = IcbFactory(
        ods_code="QNW", name="NHS Merged Integrated Care Board", opened_on=MERGED_ON
    )
    old = {}
    for code, trusts in (("QO1", ("RT1", "RT2")), ("QO2", ("RT3", "RT4"))):
        old[code] = IcbFactory(
            ods_code=code,
            name=f"NHS Old {code} Integrated Care Board",
            closed_on=MERGED_ON - datetime.timedelta(days=1),
        )
        SuccessionFactory(predecessor=old[code], successor=merged)
        for trust_code in trusts:
            trust = TrustFactory(
                ods_code=trust_code, name=f"Trust {trust_code}", membership__ics=old[code]
            )
            trust.memberships.update(valid_to=MERGED_ON - datetime.timedelta(days=1))
            Membership.objects.create(organisation=trust, ics=merged, valid_from=MERGED_ON)
    before = make_round(version, "2025 (NHS England)", datetime.date(2025, 4, 1), kind="published")
    for base, code in enumerate(("RT1", "RT2", "RT3", "RT4"), start=1):
        add_assessment(
            before,
            Membership.objects.get(organisation__ods_code=code, ics=merged).organisation,
            float(base),
        )
    add_assessment(before, old["QO1"], 2.0, care_setting="ics")
    add_assessment(before, old["QO2"], 3.0, care_setting="ics")
    calculation.recompute_round(before)
    after = make_round(version, "2026/27", datetime.date(2026, 4, 1))
    for code in ("RT1", "RT2", "RT3", "RT4"):
        add_assessment(
            after, Membership.objects.get(organisation__ods_code=code, ics=merged).organisation, 3.0
        )
    calculation.recompute_round(after)
    return merged, before, after


def test_a_round_before_the_merger_is_reconstructed_from_today_s_members(signed_in, merger):
    merged, before, _ = merger
    assert queries.is_reconstructed(merged, before)
    response = signed_in.get("/benchmarks/ics/QNW/?round=2025+(NHS+England)")
    words = text_of(response)
    assert "No members when" not in words
    assert "Reconstructed from the members of today's ICS." in words
    assert "Members side by side (reconstructed from the members of today's ICS)" in words
    assert "4 published assessments from 4 members today" in words
    for code in ("RT1", "RT2", "RT3", "RT4"):
        assert f"Trust {code}" in words
    # The predecessors' own ICB-level scores, as theirs.
    assert "The ICBs it was formed from, in 2025 (NHS England)" in words
    assert (
        "NHS Old QO1 Integrated Care Board" in words
        and "NHS Old QO2 Integrated Care Board" in words
    )
    head, *rows = rows_of(
        signed_in.get("/benchmarks/ics/QNW/?round=2025+(NHS+England)&download=members")
    )
    assert {row[head.index("members_by")] for row in rows} == {
        "reconstructed from the members of today's ICS"
    }


def test_the_merged_ics_s_trend_runs_across_the_merger(signed_in, merger):
    merged, before, after = merger
    points = queries.ics_trend(merged)
    assert [(p.round, p.members, p.reconstructed) for p in points] == [
        (before, 4, True),
        (after, 4, False),
    ]
    assert points[0].median == pytest.approx(3.0)  # comparable overall: 1.5, 2.5, 3.5, 4.5
    words = html.unescape(text_of(signed_in.get("/benchmarks/ics/QNW/?round=2026/27")))
    assert "Before NHS Merged Integrated Care Board was formed, the members are today's" in words
    assert (
        "Reconstructed from the members of today's ICS, before it was formed on 1 April 2026"
        in words
    )
    assert "Its members when the round opened" in words
    assert "This trend mixes scores published by NHS England" in words


def test_a_round_after_the_merger_is_not_reconstructed(signed_in, merger):
    merged, _, after = merger
    assert not queries.is_reconstructed(merged, after)
    words = text_of(signed_in.get("/benchmarks/ics/QNW/?round=2026/27"))
    assert "Reconstructed from the members of today's ICS." not in words
    assert "4 published assessments from 4 members on 1 April 2026" in words
