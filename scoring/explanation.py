"""The scoring method of a framework version in words, generated from its
file's ``scoring`` section, so the page can never drift from the method."""

RULES = {
    ("domain", "level_achieved"): (
        "A domain scores the level achieved: the highest level whose elements, and the elements "
        "of every lower level, are all met. A domain where level 1's elements are not all met scores 0."
    ),
    ("not_applicable", "excluded"): (
        "A domain answered “not applicable” leaves the calculation: it counts neither in the "
        "score nor in the number of domains that could have been answered."
    ),
    ("unanswered", "not_scored"): (
        "A domain not yet answered is not scored. It lowers the coverage shown beside every score "
        "(for example “5 of 7 domains answered”), so a high score from few answers is visible as such."
    ),
    ("measure", "weighted_mean"): (
        "A success measure scores the weighted mean of its scored domains: each domain's level "
        "times its weight, added up, divided by the total weight of those domains."
    ),
    ("overall", "mean_of_domains"): (
        "The overall score is the weighted mean of every scored domain across all seven measures, "
        "so a measure with more domains counts for more. The plain mean of the seven measure "
        "scores is shown beside it."
    ),
    ("overall", "mean_of_measures"): (
        "The overall score is the plain mean of the seven measure scores, so every measure counts "
        "the same. The weighted mean of every scored domain is shown beside it."
    ),
    ("combined_settings", "mean_of_settings"): (
        "Scores are per care setting. A trust that reports several care settings (for example "
        "mental health and community) has a combined figure: the mean of its settings' scores."
    ),
    ("combined_settings", "lowest_setting"): (
        "Scores are per care setting. A trust that reports several care settings has a combined "
        "figure: the lowest of its settings' scores."
    ),
    ("year_on_year", "comparable_domains_only"): (
        "Changes since the previous round use only domains whose wording is comparable between the "
        "two framework versions (a domain's “comparable since” version is no later than the "
        "earlier one), and say so."
    ),
    ("local_domains", "excluded_from_national"): (
        "Domains an integrated care system adds for its own members are shown beside the national "
        "core but never count in national scores or benchmarks."
    ),
}

ORDER = [
    "domain",
    "not_applicable",
    "unanswered",
    "measure",
    "overall",
    "combined_settings",
    "year_on_year",
    "local_domains",
]


def method_in_words(scoring):
    """The framework's scoring section as a list of sentences, in order."""
    return [RULES[(key, scoring[key])] for key in ORDER if (key, scoring.get(key)) in RULES]
