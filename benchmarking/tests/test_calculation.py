"""Percentiles, quartiles and peer spreads against a second calculation in
plain Python, on NHS England's published 2025 figures."""

import csv
import statistics
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from assessments.models import Assessment, Round
from assessments.workflow import AssessmentStatus
from benchmarking import calculation
from benchmarking.models import Benchmark, PeerMember, PeerStatistic
from frameworks import services as frameworks
from organisations.models import Organisation
from organisations.tests.conftest import import_nhs_structure

pytestmark = pytest.mark.django_db

PUBLISHED = Path(settings.BASE_DIR) / "data" / "published" / "dma2025_pillar_scores.csv"


@pytest.fixture
def round_2025(django_capture_on_commit_callbacks):
    frameworks.load(path=Path(settings.BASE_DIR) / "data" / "frameworks" / "wgll-2025.1.yaml")
    import_nhs_structure()
    with django_capture_on_commit_callbacks(execute=True):  # the peer figures follow
        call_command("import-published-scores", str(PUBLISHED))
    return Round.objects.get(name="2025 (NHS England)")


def _published_rows():
    with PUBLISHED.open() as file:
        return list(csv.DictReader(file))


def _percent_rank(value, values):
    below = sum(1 for v in values if v < value)
    return 100 * below / (len(values) - 1)


def test_national_spread_matches_a_second_calculation(round_2025):
    acute = [float(r["well_led"]) for r in _published_rows() if r["care_setting"] == "Acute"]
    stat = PeerStatistic.objects.get(
        round=round_2025, group_type="national", group_key="acute", measure__key="well_led"
    )
    q1, median, q3 = statistics.quantiles(acute, n=4, method="inclusive")
    assert stat.peers == len(acute) == 134
    assert (stat.minimum, stat.maximum) == (min(acute), max(acute))
    assert stat.lower_quartile == pytest.approx(q1)
    assert stat.median == pytest.approx(median)
    assert stat.upper_quartile == pytest.approx(q3)


def test_percentile_and_quartile_of_one_trust(round_2025):
    rows = [r for r in _published_rows() if r["care_setting"] == "Acute"]
    mine = next(r for r in rows if r["ods_code"] == "RXN")
    expected = _percent_rank(
        float(mine["empower_people"]), [float(r["empower_people"]) for r in rows]
    )
    benchmark = Benchmark.objects.get(
        assessment__organisation__ods_code="RXN",
        assessment__round=round_2025,
        measure__key="empower_citizens",
        group_type="national",
    )
    assert benchmark.score == float(mine["empower_people"])
    assert benchmark.percentile == pytest.approx(expected)
    assert benchmark.quartile == 1 + min(3, int(expected // 25))


def test_ics_peers_follow_the_structure_in_force_when_the_round_ran(round_2025):
    """RAJ (Mid and South Essex) was in QH8 in 2025, which merged into Essex (D7T5G) in 2026."""
    qh8 = Organisation.objects.get(ods_code="QH8")
    member = PeerMember.objects.get(
        round=round_2025, assessment__organisation__ods_code="RAJ", group_type="ics"
    )
    assert member.group_key == str(qh8.pk)
    peers = PeerMember.objects.filter(round=round_2025, group_type="ics", group_key=str(qh8.pk))
    codes = set(peers.values_list("assessment__organisation__ods_code", flat=True))
    expected = {
        r["ods_code"]
        for r in _published_rows()
        if r["icb_code"] == "QH8" and r["org_level"] == "provider"
    }
    assert codes == expected


def test_only_published_assessments_count(round_2025):
    Assessment.objects.filter(round=round_2025, organisation__ods_code="RXN").update(
        status=AssessmentStatus.VALIDATED
    )
    calculation.recompute_round(round_2025)
    assert not Benchmark.objects.filter(
        assessment__organisation__ods_code="RXN", assessment__round=round_2025
    ).exists()
    stat = PeerStatistic.objects.get(
        round=round_2025, group_type="national", group_key="acute", measure__key="well_led"
    )
    assert stat.peers == 133


def test_sector_groups_organisations_of_one_type(round_2025):
    stat = PeerStatistic.objects.get(
        round=round_2025,
        group_type="sector",
        group_key="ambulance:ambulance",
        measure__key="safe_practice",
    )
    assert stat.peers == 10  # the Isle of Wight's ambulance return counts as an acute trust's


def test_similar_organisations_are_the_ten_of_the_same_type_nearest_in_size(round_2025, tmp_path):
    acute = list(
        Assessment.objects.filter(
            round=round_2025, care_setting="acute", organisation__org_type="acute"
        )
        .select_related("organisation")
        .order_by("organisation__ods_code")
    )
    profiles = tmp_path / "profiles.csv"
    profiles.write_text(
        "ods_code,year,annual_expenditure,staff,source\n"
        + "".join(
            f"{a.organisation.ods_code},2025,{100 + 10 * i},,Synthetic test figures\n"
            for i, a in enumerate(acute)
        )
    )
    call_command("import-profiles", str(profiles))
    calculation.recompute_round(round_2025)
    centre = acute[50]
    group = PeerMember.objects.filter(
        round=round_2025, group_type="similar", group_key=str(centre.pk)
    )
    expected = {a.pk for a in acute[45:56]}
    assert set(group.values_list("assessment_id", flat=True)) == expected
    benchmark = Benchmark.objects.get(
        assessment=centre, measure__key="well_led", group_type="similar"
    )
    scores = [
        Benchmark.objects.get(
            assessment_id=pk, measure__key="well_led", group_type="national"
        ).score
        for pk in expected
    ]
    assert benchmark.percentile == pytest.approx(_percent_rank(benchmark.score, scores))
    assert not Benchmark.objects.filter(
        group_type="similar", assessment__organisation__org_type="ambulance"
    ).exists()
