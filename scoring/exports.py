"""Every answer and every score of a round in one table, so anyone can
recompute the scores without Northstar's database (``northstar score``).

Records: ``domain`` (one per applicable national domain of an assessment,
answered or not, with its weight and every level's elements), ``measure`` and
``overall`` (the stored scores)."""

from collections import defaultdict

from assessments.models import Answer, Assessment, MetElement
from frameworks.models import DomainSetting, Element
from scoring.models import MeasureScore, OverallScore

COLUMNS = [
    "record",
    "ods_code",
    "round",
    "care_setting",
    "measure",
    "domain_id",
    "weight",
    "levels",
    "answered",
    "elements_met",
    "not_applicable",
    "level",
    "score",
    "mean_of_measures",
    "scored_domains",
    "applicable_domains",
    "method",
]
CHUNK = 500


def figure(value):
    return "" if value is None else f"{value:.10f}"


def _domains_by_setting(framework_version):
    """``{care_setting: [(domain, levels text)]}`` for the national domains."""
    elements = defaultdict(lambda: defaultdict(list))
    for domain_id, level, key in (
        Element.objects.filter(
            domain__framework_version=framework_version, domain__local_set__isnull=True
        )
        .order_by("level", "position")
        .values_list("domain_id", "level", "key")
    ):
        elements[domain_id][level].append(key)
    by_setting = defaultdict(list)
    settings = (
        DomainSetting.objects.filter(
            domain__framework_version=framework_version, domain__local_set__isnull=True
        )
        .select_related("domain__measure")
        .order_by("domain__measure__number", "domain__position")
    )
    for setting in settings:
        levels = "|".join(
            f"{level}:{','.join(keys)}"
            for level, keys in sorted(elements[setting.domain_id].items())
        )
        by_setting[setting.care_setting].append((setting.domain, levels))
    return by_setting


def score_rows(round_):
    """The export's rows, assessment by assessment, reading in chunks so a
    national round never sits in memory whole."""
    domains = _domains_by_setting(round_.framework_version)
    method = round_.framework_version.scoring.get("overall", "mean_of_domains")
    assessments = list(
        Assessment.objects.filter(round=round_)
        .select_related("organisation")
        .order_by("organisation__ods_code", "care_setting")
    )
    for start in range(0, len(assessments), CHUNK):
        chunk = assessments[start : start + CHUNK]
        yield from _chunk_rows(round_, chunk, domains, method)


def _chunk_rows(round_, chunk, domains, method):
    ids = [a.id for a in chunk]
    answers = {
        (a["assessment_id"], a["domain_id"]): a
        for a in Answer.objects.filter(assessment_id__in=ids).values(
            "id", "assessment_id", "domain_id", "not_applicable", "level"
        )
    }
    met = defaultdict(list)
    for answer_id, key in (
        MetElement.objects.filter(answer__assessment_id__in=ids)
        .order_by("element__level", "element__position")
        .values_list("answer_id", "element__key")
    ):
        met[answer_id].append(key)
    measures = defaultdict(list)
    for score in (
        MeasureScore.objects.filter(assessment_id__in=ids)
        .select_related("measure")
        .order_by("measure__number")
    ):
        measures[score.assessment_id].append(score)
    overall = {
        score.assessment_id: score for score in OverallScore.objects.filter(assessment_id__in=ids)
    }
    for assessment in chunk:
        who = [assessment.organisation.ods_code, round_.name, assessment.care_setting]
        for domain, levels in domains[assessment.care_setting]:
            answer = answers.get((assessment.id, domain.id))
            yield [
                "domain",
                *who,
                domain.measure.key,
                domain.key,
                f"{domain.weight.normalize()}",
                levels,
                "yes" if answer else "no",
                ";".join(met[answer["id"]]) if answer else "",
                "yes" if answer and answer["not_applicable"] else "no",
                "" if not answer or answer["level"] is None else answer["level"],
                "",
                "",
                "",
                "",
                "",
            ]
        for score in measures[assessment.id]:
            yield [
                "measure",
                *who,
                score.measure.key,
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                figure(score.score),
                "",
                score.scored_domains,
                score.applicable_domains,
                "",
            ]
        if assessment.id in overall:
            total = overall[assessment.id]
            yield [
                "overall",
                *who,
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                figure(total.score),
                figure(total.mean_of_measures),
                total.scored_domains,
                total.applicable_domains,
                method,
            ]
