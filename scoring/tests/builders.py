"""Small builders for scoring tests: a round, an assessment, answers."""

import datetime

from assessments.models import Answer, Assessment, MetElement, Round


def assessment(version, organisation, care_setting="acute"):
    round_, _ = Round.objects.get_or_create(
        name="2026/27",
        defaults={
            "framework_version": version,
            "opens_on": datetime.date(2026, 4, 1),
            "closes_on": datetime.date(2027, 3, 31),
            "organisation_types": ["acute"],
        },
    )
    return Assessment.objects.create(
        round=round_, organisation=organisation, care_setting=care_setting
    )


def answer(assessment, domain_key, met=(), not_applicable=False):
    domain = assessment.round.framework_version.domains.get(key=domain_key)
    answer = Answer.objects.create(
        assessment=assessment, domain=domain, not_applicable=not_applicable
    )
    MetElement.objects.bulk_create(
        MetElement(answer=answer, element=e) for e in domain.elements.filter(key__in=met)
    )
    return answer


def levels(up_to):
    """Every element id of levels 1 to ``up_to``, in the test framework."""
    return [f"{level}{letter}" for level in range(1, up_to + 1) for letter in "ab"]
