"""`northstar bench`: a synthetic national round at full size in a database
of its own, and the figures the issue sets targets for.

Each stage runs in a fresh process (`northstar bench-stage NAME`) against the
bench database, so that peak memory is the recompute's own."""

import random
import resource
import statistics
import time
from datetime import date
from urllib.parse import urlencode

from django.core.management.color import no_style
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from accounts.models import RoleName
from assessments.models import Answer, Assessment, MetElement, Round
from assessments.workflow import AssessmentStatus
from frameworks import services as frameworks
from frameworks.models import Domain, Element, FrameworkVersion
from organisations.models import Membership, Organisation
from scoring import calculation
from scoring import services as scoring

MEASURES = [
    "well_led",
    "smart_foundations",
    "safe_practice",
    "support_people",
    "empower_citizens",
    "improve_care",
    "healthy_populations",
]
ICS_COUNT = 42
ROUND_NAME = "Bench national round"


def synthetic_framework(domains):
    """A valid framework of ``domains`` acute domains, 5 levels of 2 elements."""
    per_measure = [domains // 7 + (1 if i < domains % 7 else 0) for i in range(7)]
    measures = []
    for number, (key, count) in enumerate(zip(MEASURES, per_measure, strict=True), start=1):
        measures.append(
            {
                "id": key,
                "number": number,
                "name": key.replace("_", " ").capitalize(),
                "ics_expectation": "Synthetic.",
                "organisation_expectation": "Synthetic.",
                "domains": [
                    {
                        "id": f"{key.replace('_', '-')}-{n}",
                        "name": f"Synthetic domain {number}.{n}",
                        "question": "Synthetic?",
                        "level": "organisation",
                        "care_settings": ["acute"],
                        "weight": 1 + (n % 3) * 0.5,
                        "comparable_since": "2025.1",
                        "levels": {
                            level: [
                                {"id": f"{level}{x}", "text": "Synthetic element."} for x in "ab"
                            ]
                            for level in range(1, 6)
                        },
                    }
                    for n in range(1, count + 1)
                ],
            }
        )
    return {
        "framework": {
            "slug": "bench",
            "title": "Bench framework",
            "version": "2025.1",
            "status": "published",
        },
        "levels": {level: f"Level {level}" for level in range(1, 6)},
        "scoring": {
            "domain": "level_achieved",
            "not_applicable": "excluded",
            "unanswered": "not_scored",
            "measure": "weighted_mean",
            "overall": "mean_of_domains",
            "combined_settings": "mean_of_settings",
            "year_on_year": "comparable_domains_only",
            "local_domains": "excluded_from_national",
        },
        "measures": measures,
        "consistency_rules": [],
        "board_questions": [
            {"number": n, "id": f"q{n}", "text": f"Question {n}?"} for n in range(1, 9)
        ],
    }


def _reset_sequences(*models):
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def _insert(table, columns, rows):
    placeholders = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", rows
        )


@transaction.atomic
def build(*, assessments, domains, seed=2026):
    """The synthetic round: organisations in 42 ICSs, one published acute
    assessment each, every domain answered, about six elements met each."""
    rng = random.Random(seed)
    frameworks.load_data(data=synthetic_framework(domains), name="bench")
    version = FrameworkVersion.objects.get(framework__slug="bench")
    domain_ids = list(Domain.objects.filter(framework_version=version).values_list("id", flat=True))
    elements = {}
    for element_id, domain_id, level in Element.objects.filter(
        domain__framework_version=version
    ).values_list("id", "domain_id", "level"):
        elements.setdefault(domain_id, {}).setdefault(level, []).append(element_id)

    icss = Organisation.objects.bulk_create(
        Organisation(
            ods_code=f"BQ{i:03d}", name=f"Synthetic ICS {i}", org_type="icb", care_settings=["ics"]
        )
        for i in range(ICS_COUNT)
    )
    trusts = Organisation.objects.bulk_create(
        (
            Organisation(
                ods_code=f"BT{i:05d}",
                name=f"Synthetic trust {i}",
                org_type="acute",
                care_settings=["acute"],
            )
            for i in range(assessments)
        ),
        batch_size=2000,
    )
    Membership.objects.bulk_create(
        (
            Membership(organisation=trust, ics=icss[i % ICS_COUNT], valid_from=date(2022, 7, 1))
            for i, trust in enumerate(trusts)
        ),
        batch_size=2000,
    )
    round_ = Round.objects.create(
        name=ROUND_NAME,
        framework_version=version,
        opens_on=date(2026, 4, 1),
        closes_on=date(2027, 3, 31),
        organisation_types=["acute"],
    )
    Assessment.objects.bulk_create(
        (
            Assessment(
                round=round_,
                organisation=trust,
                care_setting="acute",
                status=AssessmentStatus.PUBLISHED,
            )
            for trust in trusts
        ),
        batch_size=2000,
    )
    assessment_ids = list(
        Assessment.objects.filter(round=round_).order_by("pk").values_list("pk", flat=True)
    )
    first_answer = (Answer.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    answers, met = [], []
    answer_id = first_answer - 1
    for assessment_id in assessment_ids:
        for domain_id in domain_ids:
            answer_id += 1
            level = rng.randint(1, 5)
            answers.append(
                (answer_id, assessment_id, domain_id, 1, level, False, "", "", False, "2026-06-01")
            )
            for lower in range(1, level + 1):
                met.extend((answer_id, element) for element in elements[domain_id][lower])
    _insert(
        Answer._meta.db_table,
        [
            "id",
            "assessment_id",
            "domain_id",
            "version",
            "level",
            "not_applicable",
            "not_applicable_reason",
            "comment",
            "carried_forward",
            "updated_at",
        ],
        answers,
    )
    _insert(MetElement._meta.db_table, ["answer_id", "element_id"], met)
    _reset_sequences(Answer)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would have, before anything is timed
    return {
        "assessments": assessments,
        "domains": len(domain_ids),
        "answers": len(answers),
        "element_answers": len(met),
    }


# The floor: bare SQL, written by hand, that derives each domain level from its
# elements (the packed-counts formulation scoring.calculation uses, the fastest
# we know) and then SUM(level * weight) / SUM(weight) per assessment and measure.
FLOOR = """
SELECT lv.assessment_id, d.measure_id,
       SUM(lv.level * CAST(d.weight AS DOUBLE PRECISION)) / SUM(CAST(d.weight AS DOUBLE PRECISION))
FROM (
    SELECT a.assessment_id, a.domain_id,
           CASE WHEN (COALESCE(met.packed, 0) & 15) <> (totals.packed & 15) THEN 0
                WHEN (met.packed & 255) <> (totals.packed & 255) THEN 1
                WHEN (met.packed & 4095) <> (totals.packed & 4095) THEN 2
                WHEN (met.packed & 65535) <> (totals.packed & 65535) THEN 3
                WHEN met.packed <> totals.packed THEN 4 ELSE 5 END AS level
    FROM assessments_answer a
    JOIN (
        SELECT domain_id, SUM(CASE level WHEN 1 THEN 1 WHEN 2 THEN 16 WHEN 3 THEN 256
                                         WHEN 4 THEN 4096 ELSE 65536 END) AS packed
        FROM frameworks_element GROUP BY domain_id
    ) totals ON totals.domain_id = a.domain_id
    LEFT JOIN (
        SELECT m.answer_id, SUM(CASE e.level WHEN 1 THEN 1 WHEN 2 THEN 16 WHEN 3 THEN 256
                                             WHEN 4 THEN 4096 ELSE 65536 END) AS packed
        FROM assessments_metelement m
        JOIN frameworks_element e ON e.id = m.element_id
        GROUP BY m.answer_id
    ) met ON met.answer_id = a.id
) lv
JOIN frameworks_domain d ON d.id = lv.domain_id
GROUP BY lv.assessment_id, d.measure_id
"""


def _timed(function, repeat=1):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def measure_recompute():
    round_ = Round.objects.get(name=ROUND_NAME)

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(FLOOR)
            return cursor.fetchall()

    floor_seconds = _timed(floor, repeat=3)
    scores_seconds = _timed(lambda: calculation.recompute_round(round_), repeat=3)
    recompute_seconds = _timed(lambda: scoring.recompute_round(round_=round_), repeat=3)
    answer = (
        Answer.objects.filter(assessment__round=round_)
        .select_related("assessment__round__framework_version")
        .first()
    )
    one_element = MetElement.objects.filter(answer=answer).order_by("-element__level").first()

    def change_one_answer():
        with transaction.atomic():
            MetElement.objects.filter(pk=one_element.pk).delete()
            scoring.answers_changed(
                assessment=Assessment.objects.select_related("round__framework_version").get(
                    pk=answer.assessment_id
                )
            )
            transaction.set_rollback(True)

    # The bench times one draft answer's recompute on a synthetic round: it sets
    # the status directly, around the workflow, and puts it back afterwards.
    draft = Assessment.objects.filter(round=round_).first()
    Assessment.objects.filter(pk=draft.pk).update(status=AssessmentStatus.DRAFT)
    incremental = _timed(lambda: _draft_answer_changed(draft), repeat=20)
    Assessment.objects.filter(pk=draft.pk).update(status=AssessmentStatus.PUBLISHED)
    return {
        "floor_seconds": floor_seconds,
        "scores_seconds": scores_seconds,
        "scores_ratio": scores_seconds / floor_seconds,
        "recompute_seconds": recompute_seconds,
        "ratio": recompute_seconds / floor_seconds,
        "incremental_draft_seconds": incremental,
        "incremental_published_seconds": _timed(change_one_answer, repeat=3),
    }


def _draft_answer_changed(assessment):
    assessment = Assessment.objects.select_related("round__framework_version").get(pk=assessment.pk)
    scoring.answers_changed(assessment=assessment)


def measure_memory():
    round_ = Round.objects.get(name=ROUND_NAME)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    scoring.recompute_round(round_=round_)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"peak_memory_mb": after / 1024, "memory_before_mb": before / 1024}


def measure_pages(requests=60):
    from django.conf import settings

    from accounts import services as accounts

    settings.ALLOWED_HOSTS = ["testserver"]
    trusts = Organisation.objects.filter(org_type="acute").order_by("ods_code")
    organisation = trusts[trusts.count() // 2]
    analyst = accounts.ensure_user(
        email="bench@northstar.example",
        full_name="Bench",
        roles=[(RoleName.NATIONAL_ANALYST, None)],
    )
    client = Client()
    client.force_login(analyst)
    round_ = Round.objects.get(name=ROUND_NAME)
    pages = {
        "organisation benchmark page": reverse(
            "benchmarking:organisation", args=[organisation.ods_code]
        )
        + f"?{urlencode({'round': round_.name})}",
        "national page": reverse("benchmarking:national") + f"?{urlencode({'round': round_.name})}",
    }
    results = {}
    for label, url in pages.items():
        assert client.get(url).status_code == 200, url
        times = []
        for _ in range(requests):
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
            assert response.status_code == 200
        times.sort()
        results[label] = {
            "p50_ms": 1000 * statistics.median(times),
            "p95_ms": 1000 * times[int(0.95 * (len(times) - 1))],
            "url": url,
        }
    return results


STAGES = {"recompute": measure_recompute, "memory": measure_memory, "pages": measure_pages}


def run_stage(name, **options):
    if name == "build":
        return build(**options)
    return STAGES[name]()
