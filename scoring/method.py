"""The scoring method as plain Python, independent of the database: used by
`northstar score` to check an export and by tests as a second calculation."""

from dataclasses import dataclass

from assessments.levels import level_achieved

__all__ = ["DomainAnswer", "Scores", "level_achieved", "score", "weighted_mean"]


def weighted_mean(pairs):
    """``[(score, weight)]`` → the weighted mean, or None with nothing to average."""
    total_weight = sum(weight for _, weight in pairs)
    if not pairs or total_weight == 0:
        return None
    return sum(score * weight for score, weight in pairs) / total_weight


@dataclass
class DomainAnswer:
    measure: str
    weight: float
    level: int | None  # None: unanswered
    not_applicable: bool = False


@dataclass
class Scores:
    measures: dict  # measure -> (score or None, scored, applicable)
    overall: float | None
    mean_of_measures: float | None
    scored: int
    applicable: int


def score(answers, overall="mean_of_domains"):
    """Measure and overall scores for one assessment's applicable national
    domains (``answers``: a list of DomainAnswer, one per applicable domain)."""
    measures = {}
    for measure in dict.fromkeys(answer.measure for answer in answers):
        mine = [a for a in answers if a.measure == measure]
        scored = [(a.level, a.weight) for a in mine if not a.not_applicable and a.level is not None]
        applicable = sum(1 for a in mine if not a.not_applicable)
        measures[measure] = (weighted_mean(scored), len(scored), applicable)
    all_scored = [
        (a.level, a.weight) for a in answers if not a.not_applicable and a.level is not None
    ]
    measure_scores = [value for value, _, _ in measures.values() if value is not None]
    mean_of_measures = sum(measure_scores) / len(measure_scores) if measure_scores else None
    by_domains = weighted_mean(all_scored)
    return Scores(
        measures=measures,
        overall=mean_of_measures if overall == "mean_of_measures" else by_domains,
        mean_of_measures=mean_of_measures,
        scored=len(all_scored),
        applicable=sum(applicable for _, _, applicable in measures.values()),
    )
