from frameworks.tests.factories import framework_data
from frameworks.validation import SCORING_METHOD
from scoring.explanation import RULES, method_in_words


def test_every_allowed_scoring_choice_has_words():
    for key, allowed in SCORING_METHOD.items():
        for value in allowed:
            assert (key, value) in RULES, f"no explanation for scoring.{key}: {value}"


def test_the_method_follows_the_file():
    scoring = framework_data()["scoring"]
    words = method_in_words(scoring)
    assert len(words) == len(scoring)
    assert words[4].startswith("The overall score is the weighted mean of every scored domain")
    scoring["overall"] = "mean_of_measures"
    assert method_in_words(scoring)[4].startswith("The overall score is the plain mean")
