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

# A domain's level is read from a bit mask of its complete levels (bit 1 for
# level 1, 2 for level 2, 4 for level 3 …): the level achieved is the number of
# complete levels counted up from level 1. Only the elements met are read, not
# every element of every answer, which halves the work.
LEVEL_BIT = "CASE per_level.level WHEN 1 THEN 1 WHEN 2 THEN 2 WHEN 3 THEN 4 WHEN 4 THEN 8 WHEN 5 THEN 16 END"
LEVEL_FROM_MASK = """CASE WHEN COALESCE(complete.mask, 0) & 1 = 0 THEN 0
            WHEN complete.mask & 3 <> 3 THEN 1
            WHEN complete.mask & 7 <> 7 THEN 2
            WHEN complete.mask & 15 <> 15 THEN 3
            WHEN complete.mask & 31 <> 31 THEN 4
            ELSE 5 END"""

DOMAIN_SCORES = f"""
INSERT INTO {T["domain_score"]} (assessment_id, domain_id, level)
SELECT a.assessment_id, a.domain_id, {LEVEL_FROM_MASK}
FROM {T["answer"]} a
JOIN {T["domain"]} d ON d.id = a.domain_id AND d.local_set_id IS NULL
LEFT JOIN (
    SELECT per_level.answer_id, SUM({LEVEL_BIT}) AS mask
    FROM (
        SELECT m.answer_id, e.domain_id, e.level, COUNT(*) AS met
        FROM {T["met"]} m
        JOIN {T["element"]} e ON e.id = m.element_id
        JOIN {T["answer"]} scoped ON scoped.id = m.answer_id
        WHERE scoped.assessment_id IN ({{scope}})
        GROUP BY m.answer_id, e.domain_id, e.level
    ) per_level
    JOIN (
        SELECT domain_id, level, COUNT(*) AS total FROM {T["element"]} GROUP BY domain_id, level
    ) level_size ON level_size.domain_id = per_level.domain_id
        AND level_size.level = per_level.level AND level_size.total = per_level.met
    GROUP BY per_level.answer_id
) complete ON complete.answer_id = a.id
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
