import datetime

import pytest
from django.core.management import call_command

from assessments.workflow import AssessmentStatus
from benchmarking import calculation, queries
from benchmarking.models import PeerGroup
from benchmarking.tests.conftest import add_assessment, make_round
from organisations.models import SizeFigure
from organisations.services import refresh_similar_organisations

pytestmark = pytest.mark.django_db


def test_default_round_is_the_latest_with_published_assessments(small_round, version):
    make_round(version, "2026/27", datetime.date(2026, 4, 1))  # nothing published yet
    assert queries.default_round() == small_round.round
    assert [r.has_published for r in queries.rounds()] == [False, True]


def test_organisation_benchmark_against_the_national_group(small_round):
    benchmark = queries.organisation_benchmark(small_round.assessment("RBB"), PeerGroup.NATIONAL)
    well_led = benchmark.measures[0]
    assert benchmark.published and benchmark.group_key == "acute"
    assert [m.key for m in benchmark.measures][:2] == ["well_led", "smart_foundations"]
    assert well_led.score == pytest.approx(2.1)
    assert well_led.percentile == pytest.approx(40)  # above two of the five others
    assert well_led.quartile == 2 and well_led.ranked
    assert well_led.spread.peers == 6
    assert (well_led.spread.minimum, well_led.spread.maximum) == pytest.approx((0.6, 4.6))
    assert well_led.spread.median == pytest.approx(2.6)
    assert (well_led.scored_domains, well_led.applicable_domains) == (2, 3)
    assert benchmark.overall.comparable_score == 2.5


def test_ics_group_is_the_members_by_the_structure_of_the_round(small_round):
    benchmark = queries.organisation_benchmark(small_round.assessment("RBB"), PeerGroup.ICS)
    assert benchmark.group_key == str(small_round.ics.pk)
    assert benchmark.measures[0].spread.peers == 4  # three acute trusts and the mental health one


def test_with_no_similar_organisations_it_is_compared_with_its_sector(small_round):
    benchmark = queries.organisation_benchmark(small_round.assessment("RBB"), PeerGroup.SIMILAR)
    assert benchmark.group == PeerGroup.SIMILAR and benchmark.compared_as == PeerGroup.SECTOR
    assert benchmark.group_key == "acute:acute" and benchmark.measures[0].peers == 6


def test_a_group_of_fewer_than_five_is_too_few_to_rank(small_round):
    benchmark = queries.organisation_benchmark(small_round.assessment("RBB"), PeerGroup.ICS)
    for measure in benchmark.measures:
        assert measure.peers == 4 and not measure.spread.ranked
        assert (measure.percentile, measure.quartile, measure.ranked) == (None, None, False)
    assert benchmark.measures[0].spread.values == pytest.approx((1.1, 2.1, 2.6, 3.1))


def test_an_unpublished_score_is_placed_against_the_published_peers(small_round):
    mine = small_round.assessment("RBB")
    mine.status = AssessmentStatus.APPROVED
    mine.save()
    calculation.recompute_round(small_round.round)

    benchmark = queries.organisation_benchmark(mine, PeerGroup.NATIONAL)
    well_led = benchmark.measures[0]
    assert not benchmark.published
    assert well_led.spread.peers == 5  # its own score is not among the published figures
    assert well_led.percentile == pytest.approx(40)  # above REE and RAA, below the others
    assert well_led.quartile == 2 and well_led.previous_score is None


def test_percent_rank_agrees_with_the_stored_definition():
    assert queries.percent_rank(2.0, [1.0, 3.0, 4.0]) == pytest.approx(100 / 3)
    assert queries.percent_rank(2.0, [2.0, 2.0]) == 0
    assert queries.percent_rank(5.0, []) == 0
    assert [queries.quartile_of(p) for p in (0, 24.9, 25, 50, 74.9, 75, 100)] == [
        1,
        1,
        2,
        3,
        3,
        4,
        4,
    ]


def test_distribution_names_every_peer_lowest_first_and_marks_the_organisation(small_round):
    peers = queries.distribution(small_round.assessment("RCC"), PeerGroup.SECTOR, "improve_care")
    assert [(p.ods_code, p.is_you) for p in peers] == [
        ("REE", False),
        ("RAA", False),
        ("RBB", False),
        ("RCC", True),
        ("RDD", False),
        ("RFF", False),
    ]
    assert peers[1].name == "Trust RAA" and peers[1].score == pytest.approx(1.6)


def test_distribution_includes_an_unpublished_own_score(small_round):
    mine = small_round.assessment("RCC")
    mine.status = AssessmentStatus.SUBMITTED
    mine.save()
    calculation.recompute_round(small_round.round)
    peers = queries.distribution(mine, PeerGroup.NATIONAL, "well_led")
    assert [p.ods_code for p in peers if p.is_you] == ["RCC"]
    assert len(peers) == 6


def test_trend_follows_measures_by_key_across_rounds(small_round, version):
    later = make_round(version, "2026/27", datetime.date(2026, 4, 1), previous=small_round.round)
    add_assessment(later, small_round.trusts["RBB"], 3.0)
    add_assessment(later, small_round.trusts["RCC"], 3.0, status=AssessmentStatus.DRAFT)
    points = queries.trend(small_round.trusts["RBB"], "acute")
    assert [p.round.name for p in points] == ["2025 (test)", "2026/27"]
    assert [(p.overall, p.comparable) for p in points] == [(2.5, True), (3.5, True)]
    assert points[1].measures["well_led"] == pytest.approx(3.1)
    assert [p.round.name for p in queries.trend(small_round.trusts["RCC"], "acute")] == [
        "2025 (test)"
    ]


def test_overall_score_falls_back_to_every_domain_without_a_comparable_one(small_round):
    assessment = small_round.assessment("RAA")
    assessment.overall_score.comparable_score = None
    assessment.overall_score.save()
    assert queries.overall_of(assessment) == (1.0, False)


def test_ics_members_side_by_side_with_their_national_quartiles(small_round):
    members, rows = queries.ics_members(small_round.ics, small_round.round)
    assert {m.ods_code for m in members} == {"RAA", "RBB", "RCC", "RMH"}
    assert [(r.organisation.ods_code, r.care_setting) for r in rows] == [
        ("RAA", "acute"),
        ("RBB", "acute"),
        ("RCC", "acute"),
        ("RMH", "mental_health"),
    ]
    assert rows[0].scores["well_led"] == pytest.approx(1.1) and rows[0].quartiles["well_led"] == 1
    assert rows[2].quartiles["well_led"] == 3 and rows[2].overall == 3.5
    assert rows[3].quartiles == {}  # the only mental health trust: too few to rank nationally
    spread = queries.ics_spreads(small_round.ics, small_round.round)["well_led"]
    assert spread.peers == 4 and spread.maximum == pytest.approx(3.1)


def test_ics_members_follow_the_structure_when_the_round_opened(small_round, version):
    earlier = make_round(version, "2021 (test)", datetime.date(2021, 4, 1))
    assert queries.ics_members(small_round.ics, earlier) == ([], [])


def test_sector_spreads_for_every_measure_by_type_then_setting(small_round):
    sectors = queries.sector_spreads(small_round.round)
    assert len(sectors) == 7
    well_led = sectors[small_round.measures[0]]
    assert [s.key for s in well_led] == ["acute:acute", "mental_health:mental_health"]
    assert well_led[0].spread.peers == 6 and well_led[0].spread.ranked
    assert well_led[1].spread.peers == 1 and well_led[1].spread.values == pytest.approx((2.6,))


def test_similar_group_is_the_one_centred_on_the_organisation(small_round):
    for code, size in (("RAA", 100), ("RBB", 200), ("RCC", 300), ("RDD", 5000)):
        SizeFigure.objects.create(
            organisation=small_round.trusts[code],
            year=2025,
            measure="annual_expenditure",
            value=size,
            source="test",
        )
    refresh_similar_organisations()
    calculation.recompute_round(small_round.round)
    mine = small_round.assessment("RBB")
    benchmark = queries.organisation_benchmark(mine, PeerGroup.SIMILAR)
    assert benchmark.group_key == str(mine.pk)
    assert benchmark.measures[0].spread.peers == 4  # fewer than ten of its type have profiles
    peers = queries.distribution(mine, PeerGroup.SIMILAR, "well_led")
    assert [p.ods_code for p in peers if p.is_you] == ["RBB"] and len(peers) == 4


def test_an_unpublished_score_shows_its_change_since_the_previous_round(small_round, version):
    later = make_round(version, "2026/27", datetime.date(2026, 4, 1), previous=small_round.round)
    mine = add_assessment(later, small_round.trusts["RBB"], 3.0, status=AssessmentStatus.DRAFT)
    add_assessment(later, small_round.trusts["RAA"], 1.0)
    calculation.recompute_round(later)

    well_led = queries.organisation_benchmark(mine, PeerGroup.NATIONAL).measures[0]
    assert (well_led.previous_score, well_led.previous_quartile) == (pytest.approx(2.1), 2)
    assert well_led.change == pytest.approx(1.0)
    assert well_led.peers == 1 and (well_led.percentile, well_led.quartile) == (None, None)


def test_the_previous_comparable_round_is_never_one_of_the_same_period(small_round, version):
    same_period = make_round(
        version, "2025/26", datetime.date(2025, 4, 1), previous=small_round.round
    )
    later = make_round(version, "2026/27", datetime.date(2026, 4, 1))
    earlier = make_round(version, "2024 (test)", datetime.date(2024, 4, 1), kind="published")
    assert queries.previous_comparable_round(same_period) is None
    assert queries.previous_comparable_round(small_round.round) == earlier  # same source
    assert queries.previous_comparable_round(later) == same_period  # latest self-assessed
    later.previous = small_round.round
    assert queries.previous_comparable_round(later) == small_round.round  # as chosen


def test_loading_a_peer_list_later_moves_the_stored_similar_groups(
    small_round, tmp_path, django_capture_on_commit_callbacks
):
    mine = small_round.assessment("RBB")
    assert queries.organisation_benchmark(mine, PeerGroup.SIMILAR).compared_as == PeerGroup.SECTOR
    path = tmp_path / "peers.csv"
    path.write_text("ods_code,peer_ods_code\nRBB,RCC\nRBB,RDD\n")
    with django_capture_on_commit_callbacks(execute=True):  # the peer figures follow
        call_command("import-peers", str(path), "--source", "A published list")
    benchmark = queries.organisation_benchmark(mine, PeerGroup.SIMILAR)
    assert benchmark.compared_as is None and benchmark.group_key == str(mine.pk)
    assert benchmark.measures[0].peers == 3 and not benchmark.measures[0].ranked
    peers = queries.distribution(mine, PeerGroup.SIMILAR, "well_led")
    assert {p.ods_code for p in peers} == {"RBB", "RCC", "RDD"}
