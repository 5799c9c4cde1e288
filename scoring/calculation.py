"""Scores from answers, by set-based SQL: one INSERT … SELECT … GROUP BY per
level (domain, measure, overall) for a whole round or for one assessment.

The method is the one each framework version states in its ``scoring``
section and the "how scores are calculated" page explains:

* a domain scores the level achieved: the highest level whose elements, and
  those of every lower level, are all met (0 when level 1's are not; a
  framework has five levels);
* not applicable leaves the denominator; unanswered is not scored and lowers
  the coverage shown beside every score;
* a measure scores the weighted mean of its scored domains;
* the overall score is the weighted mean of all scored domains
  (``mean_of_domains``) or the mean of the measure scores
  (``mean_of_measures``), with the other shown beside it;
* local ICS domains never enter these national scores.
"""

from django.db import connection, transaction

from assessments.models import Answer, Assessment, MetElement, Round
from frameworks.models import Domain, DomainSetting, Element
from scoring.models import DomainScore, MeasureScore, OverallScore, Source

T = {
    "assessment": Assessment._meta.db_table,
    "round": Round._meta.db_table,
    "answer": Answer._meta.db_table,
    "met": MetElement._meta.db_table,
    "domain": Domain._meta.db_table,
    "setting": DomainSetting._meta.db_table,
    "element": Element._meta.db_table,
    "domain_score": DomainScore._meta.db_table,
    "measure_score": MeasureScore._meta.db_table,
    "overall": OverallScore._meta.db_table,
}

WEIGHT = "CAST(d.weight AS DOUBLE PRECISION)"

# A domain's level comes from packed counts: each element met adds 1 to a
# four-bit field for its level (1, 16, 256, 4096, 65536 for levels 1–5; a level
# has at most 4 elements, so fields never overflow), and the domain's own
# elements, packed the same way, give the totals. Levels 1 to k are all
# complete when the low k fields are equal. One GROUP BY per answer over the
# elements met only, instead of one row per element of every answer.
ELEMENT_BIT = "CASE e.level WHEN 1 THEN 1 WHEN 2 THEN 16 WHEN 3 THEN 256 WHEN 4 THEN 4096 WHEN 5 THEN 65536 END"
LEVEL_FROM_COUNTS = """CASE WHEN (COALESCE(met.packed, 0) & 15) <> (totals.packed & 15) THEN 0
            WHEN (met.packed & 255) <> (totals.packed & 255) THEN 1
            WHEN (met.packed & 4095) <> (totals.packed & 4095) THEN 2
            WHEN (met.packed & 65535) <> (totals.packed & 65535) THEN 3
            WHEN met.packed <> totals.packed THEN 4
            ELSE 5 END"""

DOMAIN_SCORES = f"""
INSERT INTO {T["domain_score"]} (assessment_id, domain_id, level)
SELECT a.assessment_id, a.domain_id, {LEVEL_FROM_COUNTS}
FROM {T["answer"]} a
JOIN {T["domain"]} d ON d.id = a.domain_id AND d.local_set_id IS NULL
JOIN (
    SELECT e.domain_id, SUM({ELEMENT_BIT}) AS packed FROM {T["element"]} e GROUP BY e.domain_id
) totals ON totals.domain_id = a.domain_id
LEFT JOIN (
    SELECT m.answer_id, SUM({ELEMENT_BIT}) AS packed
    FROM {T["met"]} m
    JOIN {T["element"]} e ON e.id = m.element_id
    JOIN {T["answer"]} scoped ON scoped.id = m.answer_id
    WHERE scoped.assessment_id IN ({{scope}})
    GROUP BY m.answer_id
) met ON met.answer_id = a.id
WHERE a.not_applicable = %(false)s AND a.assessment_id IN ({{scope}})
"""

MEASURE_SCORES = f"""
INSERT INTO {T["measure_score"]}
    (assessment_id, measure_id, score, scored_domains, applicable_domains, source)
SELECT s.id, d.measure_id,
       SUM(ds.level * {WEIGHT}) / SUM(CASE WHEN ds.level IS NOT NULL THEN {WEIGHT} END),
       COUNT(ds.level),
       COUNT(*) - COUNT(na.id),
       %(computed)s
FROM {T["assessment"]} s
JOIN {T["round"]} r ON r.id = s.round_id
JOIN {T["domain"]} d ON d.framework_version_id = r.framework_version_id AND d.local_set_id IS NULL
JOIN {T["setting"]} ds_setting ON ds_setting.domain_id = d.id AND ds_setting.care_setting = s.care_setting
LEFT JOIN {T["domain_score"]} ds ON ds.assessment_id = s.id AND ds.domain_id = d.id
LEFT JOIN {T["answer"]} na ON na.assessment_id = s.id AND na.domain_id = d.id AND na.not_applicable = %(true)s
WHERE s.id IN ({{scope}})
GROUP BY s.id, d.measure_id
"""

OVERALL_SCORES = f"""
INSERT INTO {T["overall"]}
    (assessment_id, score, mean_of_measures, comparable_score, scored_domains, applicable_domains, source)
SELECT m.assessment_id,
       CASE WHEN %(overall)s = 'mean_of_measures' THEN m.mean_of_measures ELSE domains.score END,
       m.mean_of_measures,
       NULL,
       COALESCE(domains.scored, 0),
       m.applicable,
       %(computed)s
FROM (
    SELECT assessment_id, AVG(score) AS mean_of_measures, SUM(applicable_domains) AS applicable
    FROM {T["measure_score"]}
    WHERE assessment_id IN ({{scope}})
    GROUP BY assessment_id
) m
LEFT JOIN (
    SELECT ds.assessment_id, SUM(ds.level * {WEIGHT}) / SUM({WEIGHT}) AS score, COUNT(*) AS scored
    FROM {T["domain_score"]} ds
    JOIN {T["domain"]} d ON d.id = ds.domain_id
    WHERE ds.assessment_id IN ({{scope}})
    GROUP BY ds.assessment_id
) domains ON domains.assessment_id = m.assessment_id
"""

ROUND_SCOPE = f"SELECT id FROM {T['assessment']} WHERE round_id = %(round)s"
ASSESSMENT_SCOPE = "%(assessment)s"


def _run(scope, params, overall_method):
    params = {
        **params,
        "true": True,
        "false": False,
        "computed": Source.COMPUTED,
        "overall": overall_method,
    }
    with connection.cursor() as cursor:
        for table in ("overall", "measure_score", "domain_score"):
            cursor.execute(f"DELETE FROM {T[table]} WHERE assessment_id IN ({scope})", params)
        for statement in (DOMAIN_SCORES, MEASURE_SCORES, OVERALL_SCORES):
            cursor.execute(statement.format(scope=scope), params)


@transaction.atomic
def recompute_round(round_):
    """Every score in an assessed round, from its answers."""
    if round_.kind != Round.Kind.ASSESSED:
        return
    if connection.vendor == "postgresql":
        # A whole round is recomputed after bulk writes (an import, a round
        # opening), often in the same transaction, before autovacuum has seen
        # them; stale statistics turn the level query into a nested loop over
        # millions of rows (33 s instead of 3 s at national scale).
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {T['answer']}, {T['met']}")
    _run(ROUND_SCOPE, {"round": round_.pk}, _overall_method(round_))


@transaction.atomic
def recompute_assessment(assessment):
    """One assessment's scores, after one of its answers changed."""
    if assessment.round.kind != Round.Kind.ASSESSED:
        return
    _run(ASSESSMENT_SCOPE, {"assessment": assessment.pk}, _overall_method(assessment.round))


def _overall_method(round_):
    return round_.framework_version.scoring.get("overall", "mean_of_domains")
