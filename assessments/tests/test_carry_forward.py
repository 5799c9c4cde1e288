import datetime

import pytest

from assessments import queries, workflow
from assessments.tests.factories import (
    ALL,
    answer,
    answer_everything,
    load_framework,
    open_test_round,
)
from frameworks.models import Measure
from frameworks.tests.factories import framework_data

pytestmark = pytest.mark.django_db


def next_round(world, version=None):
    today = datetime.date.today()
    world.round.closes_on = today - datetime.timedelta(days=1)
    world.round.opens_on = today - datetime.timedelta(days=200)
    world.round.save()
    return open_test_round(world, name="2027/28", previous=world.round, version=version)


def test_answers_are_carried_forward_marked_to_confirm(world):
    answer_everything(world, level=2)
    answer(world, "epr", ALL[:6], version=1, comment="Rolled out to wards")
    new = next_round(world)
    assessment = world.assessment(round=new)
    answers = queries.answers_of(assessment)
    epr = next(a for a in answers.values() if a.domain.key == "epr")
    assert epr.carried_forward and epr.level == 3 and epr.comment == "Rolled out to wards"
    assert epr.revisions.get().note == "Carried forward from 2026/27"
    progress = queries.progress(assessment)
    assert (progress.answered, progress.carried_forward, progress.total) == (0, 9, 9)
    assert [p.domain.key for p in queries.problems_of(assessment).unconfirmed][:1] == [
        "well-led-core"
    ]


def test_confirm_a_whole_measure_in_one_action(world):
    answer_everything(world)
    new = next_round(world)
    assessment = world.assessment(round=new)
    measure = Measure.objects.get(framework_version=world.version, key="smart_foundations")
    assert (
        workflow.confirm_measure(assessment=assessment, measure=measure, by=world.contributor) == 2
    )
    progress = queries.progress(assessment)
    assert (progress.answered, progress.carried_forward) == (2, 7)
    confirmed = assessment.answers.get(domain__key="epr")
    assert confirmed.version == 2 and confirmed.revisions.last().note == "Confirmed unchanged"


def test_saving_an_unchanged_carried_answer_confirms_it(world):
    answer(world, "epr", ["1a", "1b"])
    new = next_round(world)
    saved = answer(world, "epr", ["1a", "1b"], version=1, assessment=world.assessment(round=new))
    assert not saved.carried_forward and saved.version == 2


def test_new_and_reworded_domains_are_never_carried(world):
    answer_everything(world)
    data = framework_data(version="2026.1")
    measures = {m["id"]: m for m in data["measures"]}
    measures["well_led"]["domains"][0]["comparable_since"] = "2026.1"
    measures["safe_practice"]["domains"].append(
        {**measures["safe_practice"]["domains"][0], "id": "brand-new"}
    )
    version = load_framework(data)
    new = next_round(world, version=version)
    assessment = world.assessment(round=new)
    carried = {a.domain.key for a in queries.answers_of(assessment).values()}
    assert "well-led-core" not in carried and "brand-new" not in carried and "epr" in carried
    reasons = {
        d.key: queries.not_carried(assessment, queries.domains_of(assessment)).get(d.id)
        for d in queries.domains_of(assessment)
    }
    assert reasons["brand-new"] == "New since 2026/27: answer it afresh"
    assert reasons["well-led-core"].startswith("Reworded since 2026/27")
    assert reasons["epr"] is None
