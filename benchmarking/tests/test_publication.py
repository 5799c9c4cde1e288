"""An answer changed and then published reaches the stored score and
percentile the benchmark page shows: the page reads stored figures only."""

import re

import pytest

from benchmarking.models import Benchmark
from benchmarking.tests.workflow import OpenRound

pytestmark = pytest.mark.django_db


def well_led_row(response):
    """Well led's score and percentile in the figures table (each cell also
    carries its column's name, for narrow screens)."""
    text = " ".join(re.sub(r"<[^>]+>", " ", response.text).split())
    return re.search(r"Well led Score (\S+) Higher than (\S+% of peers|–)", text).groups()


def test_a_changed_answer_once_published_moves_the_stored_score_and_percentile(client, version):
    journey = OpenRound(version, ["RJ1", "RJ2", "RJ3", "RJ4", "RJ5", "RJ6"])
    for code, level in (("RJ1", 1), ("RJ2", 2), ("RJ3", 3), ("RJ5", 1), ("RJ6", 3)):
        journey.answer(code, level)
        journey.publish(code)
    journey.answer("RJ4", 2)
    client.force_login(journey.people["RJ4"])
    page = "/benchmarks/organisations/RJ4/?round=2026/27+(journey)"

    before = client.get(page)
    assert "Not published: only your organisation can see this" in before.text
    assert well_led_row(before) == ("2.0", "40% of peers")  # above RJ1 and RJ5 of five

    journey.answer("RJ4", 3, domain_key="well-led-core")
    journey.publish("RJ4")

    after = client.get(page)
    assert "Not published" not in after.text
    assert well_led_row(after) == ("3.0", "60% of peers")  # above RJ1, RJ2 and RJ5
    stored = Benchmark.objects.get(
        assessment=journey.assessment("RJ4"), measure__key="well_led", group_type="national"
    )
    assert (stored.score, round(stored.percentile)) == (3.0, 60)
