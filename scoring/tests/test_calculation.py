"""The stored scores (set-based SQL) agree with the method computed a second
way, in plain Python, on hand-made and on random assessments."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.models import Answer, Assessment
from frameworks.models import FrameworkVersion
from frameworks.tests.factories import local_data, write
from organisations.models import Organisation
from scoring import calculation, method
from scoring.models import DomainScore, MeasureScore, OverallScore
from scoring.tests.builders import answer as _answer
from scoring.tests.builders import assessment as _assessment
from scoring.tests.builders import levels as _levels

pytestmark = pytest.mark.django_db


def test_domain_scores_the_highest_level_whose_elements_and_all_lower_are_met(version, trust):
    assessment = _assessment(version, trust)
    _answer(assessment, "epr", met=_levels(3) + ["5a", "5b"])  # level 4 missing: scores 3
    _answer(assessment, "well-led-core", met=["1a", "2a", "2b"])  # 1b missing: scores 0
    calculation.recompute_assessment(assessment)
    scores = dict(
        DomainScore.objects.filter(assessment=assessment).values_list("domain__key", "level")
    )
    assert scores == {"epr": 3, "well-led-core": 0}


def test_measure_is_the_weighted_mean_and_coverage_counts_unanswered(version, trust):
    assessment = _assessment(version, trust)
    _answer(assessment, "epr", met=_levels(4))  # weight 2, level 4
    _answer(assessment, "smart-foundations-core", met=_levels(1))  # weight 1, level 1
    calculation.recompute_assessment(assessment)
    smart = MeasureScore.objects.get(assessment=assessment, measure__key="smart_foundations")
    assert smart.score == pytest.approx((4 * 2 + 1 * 1) / 3)
    assert (smart.scored_domains, smart.applicable_domains) == (2, 2)
    well_led = MeasureScore.objects.get(assessment=assessment, measure__key="well_led")
    assert well_led.score is None and (well_led.scored_domains, well_led.applicable_domains) == (
        0,
        1,
    )
    overall = OverallScore.objects.get(assessment=assessment)
    assert overall.score == pytest.approx(9 / 3)
    assert (overall.scored_domains, overall.applicable_domains) == (2, 9)


def test_not_applicable_leaves_the_denominator(version, trust):
    assessment = _assessment(version, trust)
    _answer(assessment, "epr", met=_levels(2))
    _answer(assessment, "smart-foundations-core", not_applicable=True)
    calculation.recompute_assessment(assessment)
    smart = MeasureScore.objects.get(assessment=assessment, measure__key="smart_foundations")
    assert smart.score == 2
    assert smart.applicable_domains == 1


def test_an_ics_assessment_scores_ics_domains_only(version):
    ics = Organisation.objects.create(
        ods_code="QE1", name="An ICS", org_type="icb", care_settings=["ics"]
    )
    assessment = _assessment(version, ics, care_setting="ics")
    _answer(assessment, "ics-well-led", met=_levels(5))
    calculation.recompute_assessment(assessment)
    assert OverallScore.objects.get(assessment=assessment).applicable_domains == 7
    assert MeasureScore.objects.get(assessment=assessment, measure__key="well_led").score == 5


def test_local_domains_never_enter_national_scores(version, trust, tmp_path):
    from frameworks import services

    ics = Organisation.objects.create(ods_code="QE1", name="An ICS", org_type="icb")
    services.load(path=write(tmp_path, local_data(), "local.yaml"))
    assessment = _assessment(version, trust)
    _answer(assessment, "closed-loop-medicines", met=_levels(1))
    _answer(assessment, "local-community-diagnostics", met=_levels(5))
    calculation.recompute_assessment(assessment)
    improve = MeasureScore.objects.get(assessment=assessment, measure__key="improve_care")
    assert improve.score == 1
    assert improve.applicable_domains == 2
    assert not DomainScore.objects.filter(domain__key="local-community-diagnostics").exists()
    assert ics  # the local set belongs to this ICS


def test_recomputing_one_assessment_leaves_the_others_alone(version, trust):
    first = _assessment(version, trust)
    other = Organisation.objects.create(
        ods_code="RYY", name="Other", org_type="acute", care_settings=["acute"]
    )
    second = _assessment(version, other)
    _answer(first, "epr", met=_levels(2))
    _answer(second, "epr", met=_levels(5))
    calculation.recompute_round(first.round)
    Answer.objects.filter(assessment=first).delete()
    calculation.recompute_assessment(first)
    assert not DomainScore.objects.filter(assessment=first).exists()
    assert DomainScore.objects.get(assessment=second).level == 5


def _element_sets(version):
    return {
        domain.key: {
            level: {e.key for e in domain.elements.all() if e.level == level}
            for level in range(1, 6)
        }
        for domain in version.domains.prefetch_related("elements")
    }


answer_strategy = st.one_of(
    st.none(),  # unanswered
    st.just("n/a"),
    st.sets(st.sampled_from([f"{level}{letter}" for level in range(1, 6) for letter in "ab"])),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    choices=st.lists(answer_strategy, min_size=9, max_size=9),
    overall=st.sampled_from(["mean_of_domains", "mean_of_measures"]),
)
def test_sql_and_the_independent_calculation_agree(version, trust, choices, overall):
    FrameworkVersion.objects.filter(pk=version.pk).update(
        scoring={**version.scoring, "overall": overall}
    )
    Assessment.objects.all().delete()
    assessment = _assessment(FrameworkVersion.objects.get(pk=version.pk), trust)
    domains = list(
        version.domains.filter(
            settings__care_setting="acute", local_set__isnull=True
        ).select_related("measure")
    )
    elements = _element_sets(version)
    expected_answers = []
    for domain, choice in zip(domains, choices, strict=True):
        level = None
        if choice == "n/a":
            _answer(assessment, domain.key, not_applicable=True)
        elif choice is not None:
            _answer(assessment, domain.key, met=choice)
            level = method.level_achieved(elements[domain.key], choice)
        expected_answers.append(
            method.DomainAnswer(domain.measure.key, float(domain.weight), level, choice == "n/a")
        )
    calculation.recompute_assessment(assessment)
    expected = method.score(expected_answers, overall=overall)
    stored = {
        s.measure.key: s
        for s in MeasureScore.objects.filter(assessment=assessment).select_related("measure")
    }
    for key, (value, scored, applicable) in expected.measures.items():
        assert stored[key].score == pytest.approx(value)
        assert (stored[key].scored_domains, stored[key].applicable_domains) == (scored, applicable)
    result = OverallScore.objects.get(assessment=assessment)
    assert result.score == pytest.approx(expected.overall)
    assert result.mean_of_measures == pytest.approx(expected.mean_of_measures)
    assert (result.scored_domains, result.applicable_domains) == (
        expected.scored,
        expected.applicable,
    )
