"""The level a domain's answer achieves: the one rule every page, import and
API call uses. A level counts only when all its elements, and those of every
lower level, are met."""

from collections.abc import Iterable, Mapping

LEVELS = range(1, 6)


def level_achieved(elements_by_level: Mapping[int, Iterable[str]], met: Iterable[str]) -> int:
    """The highest level whose elements, and every lower level's, are all in
    ``met``; 0 when level 1 is not complete."""
    met = set(met)
    achieved = 0
    for level in LEVELS:
        needed = set(elements_by_level.get(level, ()))
        if not needed or not needed <= met:
            break
        achieved = level
    return achieved


def missing_for(elements_by_level: Mapping[int, Iterable[str]], met: Iterable[str], level: int):
    """The elements still to be met for ``level`` to count, lowest first."""
    met = set(met)
    return [
        key
        for lower in LEVELS
        if lower <= level
        for key in elements_by_level.get(lower, ())
        if key not in met
    ]
