from hypothesis import given
from hypothesis import strategies as st

from assessments.levels import level_achieved, missing_for

LEVELS = {level: [f"{level}a", f"{level}b"] for level in range(1, 6)}


def test_level_achieved_needs_every_element_of_each_level():
    assert level_achieved(LEVELS, []) == 0
    assert level_achieved(LEVELS, ["1a"]) == 0
    assert level_achieved(LEVELS, ["1a", "1b"]) == 1
    assert level_achieved(LEVELS, ["1a", "1b", "2a", "2b", "3a"]) == 2


def test_level_achieved_does_not_count_a_level_above_a_gap():
    assert level_achieved(LEVELS, ["1a", "1b", "3a", "3b", "4a", "4b"]) == 1


def test_level_achieved_all_met_is_five():
    assert level_achieved(LEVELS, [k for keys in LEVELS.values() for k in keys]) == 5


def test_missing_for_lists_what_a_level_still_needs():
    assert missing_for(LEVELS, ["1a", "2b"], 2) == ["1b", "2a"]


@given(st.sets(st.sampled_from([k for keys in LEVELS.values() for k in keys])))
def test_level_achieved_is_the_highest_complete_prefix(met):
    level = level_achieved(LEVELS, met)
    assert all(set(LEVELS[lower]) <= met for lower in range(1, level + 1))
    assert level == 5 or not set(LEVELS[level + 1]) <= met
