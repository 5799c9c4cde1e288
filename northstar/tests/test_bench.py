"""`northstar bench`'s synthetic round, and its floor: the bare SQL must give
the same measure scores as the application's recompute, or the comparison
between them means nothing."""

import pytest
from django.db import connection

from assessments.models import Round
from northstar import bench
from scoring import services as scoring
from scoring.models import DomainScore, MeasureScore

pytestmark = pytest.mark.django_db


def test_the_floor_gives_the_stored_measure_scores():
    built = bench.build(assessments=30, domains=14)
    assert built == {
        "assessments": 30,
        "domains": 14,
        "answers": 420,
        "element_answers": pytest.approx(2520, rel=0.25),
    }
    scoring.recompute_round(round_=Round.objects.get(name=bench.ROUND_NAME))
    with connection.cursor() as cursor:
        cursor.execute(bench.FLOOR)
        floor = {(a, m): score for a, m, score in cursor.fetchall()}
    stored = {
        (s.assessment_id, s.measure_id): s.score
        for s in MeasureScore.objects.filter(assessment__round__name=bench.ROUND_NAME)
    }
    assert floor == pytest.approx(stored)
    assert DomainScore.objects.count() == 420


def test_bench_pages_answer(settings):
    bench.build(assessments=20, domains=7)
    scoring.recompute_round(round_=Round.objects.get(name=bench.ROUND_NAME))
    pages = bench.measure_pages(requests=3)
    assert set(pages) == {"organisation benchmark page", "national page"}
    assert all(figures["p95_ms"] > 0 for figures in pages.values())
