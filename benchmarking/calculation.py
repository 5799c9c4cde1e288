"""Peer groups, percentiles and quartiles by set-based SQL, from the stored
measure scores of a round's published assessments.

Percentile: ``PERCENT_RANK()`` among the group's scores (ties share the lower
rank), as 0–100. Quartile: 1 for a percentile under 25, 2 under 50, 3 under 75,
else 4. Quartile boundaries of the spread are linearly interpolated between
the sorted scores (position (n − 1) × q), as a spreadsheet's QUARTILE.INC.
Only published assessments count.
"""

from django.db import connection, transaction

from assessments.models import Assessment, Round
from assessments.workflow import AssessmentStatus
from benchmarking.models import Benchmark, PeerGroup, PeerMember, PeerStatistic
from benchmarking.queries import previous_comparable_round
from frameworks.models import Measure
from organisations.models import Membership, Organisation, SimilarOrganisation
from scoring.models import MeasureScore

T = {
    "assessment": Assessment._meta.db_table,
    "round": Round._meta.db_table,
    "organisation": Organisation._meta.db_table,
    "membership": Membership._meta.db_table,
    "similar": SimilarOrganisation._meta.db_table,
    "measure": Measure._meta.db_table,
    "measure_score": MeasureScore._meta.db_table,
    "member": PeerMember._meta.db_table,
    "statistic": PeerStatistic._meta.db_table,
    "benchmark": Benchmark._meta.db_table,
}

PUBLISHED = f"""
    FROM {T["assessment"]} a
    JOIN {T["organisation"]} o ON o.id = a.organisation_id
    WHERE a.round_id = %(round)s AND a.status = %(published)s
"""

MEMBERS = {
    PeerGroup.NATIONAL: f"SELECT %(round)s, a.id, %(group)s, a.care_setting {PUBLISHED}",
    PeerGroup.SECTOR: f"SELECT %(round)s, a.id, %(group)s, o.org_type || ':' || a.care_setting {PUBLISHED}",
    PeerGroup.ICS: f"""
    SELECT %(round)s, a.id, %(group)s, CAST(m.ics_id AS VARCHAR(20))
    FROM {T["assessment"]} a
    JOIN {T["membership"]} m ON m.organisation_id = a.organisation_id
        AND m.valid_from <= %(structure_on)s AND (m.valid_to IS NULL OR m.valid_to >= %(structure_on)s)
    WHERE a.round_id = %(round)s AND a.status = %(published)s AND a.care_setting <> 'ics'
""",
}

# Each published assessment of an organisation with similar organisations
# (``organisations.SimilarOrganisation``) centres its own group, keyed by its
# own id: itself and the published assessments of those organisations for the
# same care setting.
MEMBERS[PeerGroup.SIMILAR] = f"""
    SELECT %(round)s, centre.id, %(group)s, CAST(centre.id AS VARCHAR(20))
    FROM {T["assessment"]} centre
    WHERE centre.round_id = %(round)s AND centre.status = %(published)s
      AND EXISTS (SELECT 1 FROM {T["similar"]} s WHERE s.organisation_id = centre.organisation_id)
    UNION ALL
    SELECT %(round)s, peer.id, %(group)s, CAST(centre.id AS VARCHAR(20))
    FROM {T["assessment"]} centre
    JOIN {T["similar"]} s ON s.organisation_id = centre.organisation_id
    JOIN {T["assessment"]} peer ON peer.organisation_id = s.peer_id AND peer.round_id = centre.round_id
        AND peer.care_setting = centre.care_setting AND peer.status = %(published)s
    WHERE centre.round_id = %(round)s AND centre.status = %(published)s
"""

SCORED_MEMBERS = f"""
    SELECT pm.assessment_id, pm.group_type, pm.group_key, ms.measure_id, ms.score
    FROM {T["member"]} pm
    JOIN {T["measure_score"]} ms ON ms.assessment_id = pm.assessment_id AND ms.score IS NOT NULL
    WHERE pm.round_id = %(round)s
"""

BENCHMARKS = f"""
INSERT INTO {T["benchmark"]}
    (round_id, assessment_id, measure_id, group_type, group_key, score, percentile, quartile)
SELECT %(round)s, assessment_id, measure_id, group_type, group_key, score, 100.0 * pct,
       CASE WHEN pct < 0.25 THEN 1 WHEN pct < 0.5 THEN 2 WHEN pct < 0.75 THEN 3 ELSE 4 END
FROM (
    SELECT s.*, PERCENT_RANK() OVER (
        PARTITION BY s.group_type, s.group_key, s.measure_id ORDER BY s.score
    ) AS pct
    FROM ({SCORED_MEMBERS}) s
) ranked
WHERE group_type <> 'similar' OR group_key = CAST(assessment_id AS VARCHAR(20))
"""


def _quantile(numerator, denominator):
    """The interpolated score at position (n − 1) × numerator / denominator."""
    position = f"((n - 1) * {numerator})"
    whole = f"({position} / {denominator})"
    fraction = (
        f"(({position} %% {denominator}) * 1.0 / {denominator})"  # %% escapes the parameter marker
    )
    return (
        f"SUM(CASE WHEN i = {whole} THEN score * (1 - {fraction}) "
        f"WHEN i = {whole} + 1 THEN score * {fraction} ELSE 0 END)"
    )


STATISTICS = f"""
INSERT INTO {T["statistic"]}
    (round_id, group_type, group_key, measure_id, peers, minimum, lower_quartile, median, upper_quartile, maximum)
SELECT %(round)s, group_type, group_key, measure_id, MAX(n), MIN(score),
       {_quantile(1, 4)}, {_quantile(1, 2)}, {_quantile(3, 4)}, MAX(score)
FROM (
    SELECT s.*,
           ROW_NUMBER() OVER (PARTITION BY s.group_type, s.group_key, s.measure_id ORDER BY s.score) - 1 AS i,
           COUNT(*) OVER (PARTITION BY s.group_type, s.group_key, s.measure_id) AS n
    FROM ({SCORED_MEMBERS}) s
) ordered
GROUP BY group_type, group_key, measure_id
"""

# The same organisation and care setting in the previous comparable round, matched by
# measure key because the framework version may differ.
PREVIOUS = f"""
UPDATE {T["benchmark"]} SET
    previous_score = (
        SELECT pb.score FROM {T["benchmark"]} pb
        JOIN {T["assessment"]} pa ON pa.id = pb.assessment_id
        JOIN {T["measure"]} pmeasure ON pmeasure.id = pb.measure_id
        JOIN {T["assessment"]} ca ON ca.id = {T["benchmark"]}.assessment_id
        JOIN {T["measure"]} cmeasure ON cmeasure.id = {T["benchmark"]}.measure_id
        WHERE pb.round_id = %(previous)s AND pa.organisation_id = ca.organisation_id
          AND pa.care_setting = ca.care_setting AND pmeasure.key = cmeasure.key
          AND pb.group_type = {T["benchmark"]}.group_type
    ),
    previous_quartile = (
        SELECT pb.quartile FROM {T["benchmark"]} pb
        JOIN {T["assessment"]} pa ON pa.id = pb.assessment_id
        JOIN {T["measure"]} pmeasure ON pmeasure.id = pb.measure_id
        JOIN {T["assessment"]} ca ON ca.id = {T["benchmark"]}.assessment_id
        JOIN {T["measure"]} cmeasure ON cmeasure.id = {T["benchmark"]}.measure_id
        WHERE pb.round_id = %(previous)s AND pa.organisation_id = ca.organisation_id
          AND pa.care_setting = ca.care_setting AND pmeasure.key = cmeasure.key
          AND pb.group_type = {T["benchmark"]}.group_type
    )
WHERE round_id = %(round)s
"""


@transaction.atomic
def recompute_round(round_):
    """Every peer group, statistic and benchmark of a round."""
    previous = previous_comparable_round(round_)
    params = {
        "round": round_.pk,
        "published": AssessmentStatus.PUBLISHED,
        "structure_on": round_.structure_on,
        "previous": previous.pk if previous else None,
    }
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {T['benchmark']} WHERE round_id = %(round)s", params)
        cursor.execute(f"DELETE FROM {T['statistic']} WHERE round_id = %(round)s", params)
        cursor.execute(f"DELETE FROM {T['member']} WHERE round_id = %(round)s", params)
        for group, select in MEMBERS.items():
            cursor.execute(
                f"INSERT INTO {T['member']} (round_id, assessment_id, group_type, group_key) {select}",
                {**params, "group": group},
            )
        cursor.execute(BENCHMARKS, params)
        cursor.execute(STATISTICS, params)
        if previous:
            cursor.execute(PREVIOUS, params)
