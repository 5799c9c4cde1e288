"""Checks a framework file completely before anything is written.

Every fault is collected with its location, e.g.
``wgll.yaml: measures[2].domains[4].weight: must be greater than 0``,
so a person can fix them all in one go.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

MEASURE_KEYS = (
    "well_led",
    "smart_foundations",
    "safe_practice",
    "support_people",
    "empower_citizens",
    "improve_care",
    "healthy_populations",
)
ORGANISATION_SETTINGS = ("acute", "mental_health", "community", "ambulance")
ICS_SETTING = "ics"
LEVELS = (1, 2, 3, 4, 5)
VERSION_PATTERN = re.compile(r"^(\d{4})\.(\d{1,3})$")
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
ELEMENT_ID_PATTERN = re.compile(r"^([1-5])([a-d])$")
BOARD_QUESTION_COUNT = 8

SCORING_METHOD = {
    "domain": {"level_achieved"},
    "not_applicable": {"excluded"},
    "unanswered": {"not_scored"},
    "measure": {"weighted_mean"},
    "overall": {"mean_of_domains", "mean_of_measures"},
    "combined_settings": {"mean_of_settings", "lowest_setting"},
    "year_on_year": {"comparable_domains_only"},
    "local_domains": {"excluded_from_national"},
}


def version_key(version):
    """``"2025.1"`` → ``(2025, 1)``, for ordering versions."""
    match = VERSION_PATTERN.match(str(version))
    if not match:
        raise ValueError(f"not a version number: {version!r}")
    return int(match.group(1)), int(match.group(2))


@dataclass
class Problems:
    """Collects faults, each with a location in the file."""

    filename: str
    messages: list = field(default_factory=list)

    def add(self, location, reason):
        self.messages.append(
            f"{self.filename}: {location}: {reason}" if location else f"{self.filename}: {reason}"
        )

    def __bool__(self):
        return bool(self.messages)


def _text(problems, data, key, where, required=True):
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problems.add(f"{where}.{key}", "is required")
        return ""
    if not isinstance(value, str):
        problems.add(f"{where}.{key}", "must be text")
        return ""
    return value.strip()


def _mapping(problems, value, where):
    if not isinstance(value, dict):
        problems.add(where, "must be a mapping of keys to values")
        return None
    return value


def _list(problems, value, where, minimum=1):
    if not isinstance(value, list):
        problems.add(where, "must be a list")
        return []
    if len(value) < minimum:
        problems.add(where, f"must have at least {minimum} item{'s' if minimum != 1 else ''}")
    return value


def check_header(problems, data):
    header = _mapping(problems, data.get("framework"), "framework")
    if header is None:
        return None
    slug = _text(problems, header, "slug", "framework")
    if slug and not SLUG_PATTERN.match(slug):
        problems.add("framework.slug", "must be lower-case letters, digits, '-' or '_'")
    _text(problems, header, "title", "framework")
    version = str(header.get("version", "")).strip()
    if not version:
        problems.add("framework.version", "is required")
    elif not VERSION_PATTERN.match(version):
        problems.add("framework.version", f"must look like 2025.1 (year.number), not {version!r}")
        version = ""
    status = header.get("status")
    if status not in ("draft", "published"):
        problems.add("framework.status", f"must be draft or published, not {status!r}")
    return version


def check_levels(problems, data):
    levels = _mapping(problems, data.get("levels"), "levels")
    if levels is None:
        return
    for level in LEVELS:
        name = levels.get(level, levels.get(str(level)))
        if not isinstance(name, str) or not name.strip():
            problems.add(f"levels.{level}", "needs a name")
    for key in levels:
        if str(key) not in {str(level) for level in LEVELS}:
            problems.add(f"levels.{key}", "levels are numbered 1 to 5")


def check_scoring(problems, data):
    scoring = _mapping(problems, data.get("scoring"), "scoring")
    if scoring is None:
        return
    for key, allowed in SCORING_METHOD.items():
        value = scoring.get(key)
        if value not in allowed:
            options = ", ".join(sorted(allowed))
            problems.add(f"scoring.{key}", f"must be one of {options}, not {value!r}")
    for key in scoring:
        if key not in SCORING_METHOD:
            problems.add(f"scoring.{key}", "is not part of the scoring method")


def check_weight(problems, domain, where):
    raw = domain.get("weight", 1)
    try:
        weight = Decimal(str(raw))
    except InvalidOperation:
        problems.add(f"{where}.weight", f"must be a number, not {raw!r}")
        return
    if isinstance(raw, bool) or not weight.is_finite():
        problems.add(f"{where}.weight", f"must be a number, not {raw!r}")
    elif weight <= 0:
        problems.add(f"{where}.weight", "must be greater than 0")
    elif weight > 100:
        problems.add(f"{where}.weight", "must be 100 or less")


def check_elements(problems, domain, where):
    levels = _mapping(problems, domain.get("levels"), f"{where}.levels")
    if levels is None:
        return
    for key in levels:
        if str(key) not in {str(level) for level in LEVELS}:
            problems.add(f"{where}.levels.{key}", "levels are numbered 1 to 5")
    seen = set()
    for level in LEVELS:
        elements = levels.get(level, levels.get(str(level)))
        at = f"{where}.levels.{level}"
        if elements is None:
            problems.add(at, "is missing: every level needs its elements")
            continue
        if not isinstance(elements, list):
            problems.add(at, "must be a list of elements")
            continue
        if not 2 <= len(elements) <= 4:
            problems.add(at, f"must have 2 to 4 elements, not {len(elements)}")
        for index, element in enumerate(elements):
            element_at = f"{at}[{index}]"
            if _mapping(problems, element, element_at) is None:
                continue
            element_id = str(element.get("id", "")).strip()
            match = ELEMENT_ID_PATTERN.match(element_id)
            if not match:
                problems.add(f"{element_at}.id", f"must be the level and a letter, like {level}a")
            elif int(match.group(1)) != level:
                problems.add(f"{element_at}.id", f"{element_id} is not a level {level} element id")
            elif element_id in seen:
                problems.add(f"{element_at}.id", f"{element_id} is used twice in this domain")
            seen.add(element_id)
            _text(problems, element, "text", element_at)


def check_domain(problems, domain, where, version, seen_ids):
    if _mapping(problems, domain, where) is None:
        return None
    domain_id = _text(problems, domain, "id", where)
    if domain_id:
        if not SLUG_PATTERN.match(domain_id):
            problems.add(f"{where}.id", "must be lower-case letters, digits, '-' or '_'")
        elif domain_id in seen_ids:
            problems.add(f"{where}.id", f"{domain_id!r} is used by another domain")
        seen_ids.add(domain_id)
    for key in ("name", "question"):
        _text(problems, domain, key, where)
    _text(problems, domain, "help", where, required=False)
    level = domain.get("level")
    settings = domain.get("care_settings")
    if level not in ("organisation", "ics"):
        problems.add(f"{where}.level", f"must be organisation or ics, not {level!r}")
    elif not isinstance(settings, list) or not settings:
        problems.add(f"{where}.care_settings", "must list the care settings it applies to")
    elif level == "ics" and settings != [ICS_SETTING]:
        problems.add(f"{where}.care_settings", "an ICS domain applies to [ics] only")
    elif level == "organisation":
        for setting in settings:
            if setting not in ORGANISATION_SETTINGS:
                allowed = ", ".join(ORGANISATION_SETTINGS)
                problems.add(f"{where}.care_settings", f"{setting!r} is not one of {allowed}")
        if len(set(settings)) != len(settings):
            problems.add(f"{where}.care_settings", "lists a care setting twice")
    check_weight(problems, domain, where)
    evidence = domain.get("evidence_required_from")
    if evidence is not None and (isinstance(evidence, bool) or evidence not in LEVELS):
        problems.add(f"{where}.evidence_required_from", "must be a level from 1 to 5")
    if not isinstance(domain.get("allows_not_applicable", False), bool):
        problems.add(f"{where}.allows_not_applicable", "must be true or false")
    since = str(domain.get("comparable_since", "")).strip()
    if not VERSION_PATTERN.match(since):
        problems.add(f"{where}.comparable_since", "must be a version like 2024.1")
    elif version and version_key(since) > version_key(version):
        problems.add(f"{where}.comparable_since", f"{since} is later than this version, {version}")
    check_elements(problems, domain, where)
    return domain_id, level


def check_measures(problems, data, version):
    """Returns ``{domain_id: level}`` for the rules to refer to."""
    measures = _list(problems, data.get("measures"), "measures")
    domains = {}
    numbers, keys = set(), set()
    for index, measure in enumerate(measures):
        where = f"measures[{index}]"
        if _mapping(problems, measure, where) is None:
            continue
        key = _text(problems, measure, "id", where)
        if key and key not in MEASURE_KEYS:
            problems.add(f"{where}.id", f"{key!r} is not one of the seven success measures")
        elif key in keys:
            problems.add(f"{where}.id", f"{key!r} appears twice")
        keys.add(key)
        number = measure.get("number")
        if isinstance(number, bool) or number not in range(1, 8):
            problems.add(f"{where}.number", "must be 1 to 7")
        elif number in numbers:
            problems.add(f"{where}.number", f"{number} is used by another measure")
        numbers.add(number)
        for text_key in ("name", "ics_expectation", "organisation_expectation"):
            _text(problems, measure, text_key, where)
        _text(problems, measure, "published_name", where, required=False)
        domain_list = _list(problems, measure.get("domains"), f"{where}.domains")
        for d_index, domain in enumerate(domain_list):
            checked = check_domain(
                problems, domain, f"{where}.domains[{d_index}]", version, set(domains)
            )
            if checked and checked[0]:
                domains.setdefault(checked[0], checked[1])
    missing = [key for key in MEASURE_KEYS if key not in keys]
    if measures and missing:
        problems.add("measures", f"missing success measures: {', '.join(missing)}")
    return domains


def check_rules(problems, data, domains):
    rules = data.get("consistency_rules", [])
    if not isinstance(rules, list):
        problems.add("consistency_rules", "must be a list")
        return
    seen = set()
    for index, rule in enumerate(rules):
        where = f"consistency_rules[{index}]"
        if _mapping(problems, rule, where) is None:
            continue
        rule_id = _text(problems, rule, "id", where)
        if rule_id in seen:
            problems.add(f"{where}.id", f"{rule_id!r} is used by another rule")
        seen.add(rule_id)
        levels = []
        for part in ("when", "requires"):
            clause = _mapping(problems, rule.get(part), f"{where}.{part}")
            if clause is None:
                continue
            domain_id = clause.get("domain")
            if domain_id not in domains:
                problems.add(f"{where}.{part}.domain", f"no domain has the id {domain_id!r}")
            else:
                levels.append(domains[domain_id])
            at_least = clause.get("at_least")
            if isinstance(at_least, bool) or at_least not in LEVELS:
                problems.add(f"{where}.{part}.at_least", "must be a level from 1 to 5")
        if len(levels) == 2 and levels[0] != levels[1]:
            problems.add(
                where, "both domains must be answered at the same level (organisation or ICS)"
            )
        _text(problems, rule, "explanation", where, required=False)


def check_board_questions(problems, data):
    questions = _list(problems, data.get("board_questions"), "board_questions")
    if isinstance(data.get("board_questions"), list) and len(questions) != BOARD_QUESTION_COUNT:
        problems.add(
            "board_questions",
            f"must have exactly {BOARD_QUESTION_COUNT} questions, not {len(questions)}",
        )
    numbers = []
    for index, question in enumerate(questions):
        where = f"board_questions[{index}]"
        if _mapping(problems, question, where) is None:
            continue
        numbers.append(question.get("number"))
        _text(problems, question, "id", where)
        _text(problems, question, "text", where)
        _text(problems, question, "prompt", where, required=False)
    if questions and sorted(n for n in numbers if isinstance(n, int)) != list(
        range(1, len(questions) + 1)
    ):
        problems.add("board_questions", "must be numbered 1, 2, 3 … in order with no gaps")


def check_national(problems, data):
    version = check_header(problems, data)
    check_levels(problems, data)
    check_scoring(problems, data)
    domains = check_measures(problems, data, version)
    check_rules(problems, data, domains)
    check_board_questions(problems, data)


def check_local(problems, data, national_domain_ids=frozenset()):
    header = _mapping(problems, data.get("local_for"), "local_for")
    version = ""
    if header is not None:
        _text(problems, header, "framework", "local_for")
        _text(problems, header, "ics", "local_for")
        _text(problems, header, "title", "local_for")
        version = str(header.get("version", "")).strip()
        if not VERSION_PATTERN.match(version):
            problems.add("local_for.version", "must be a version like 2025.1")
            version = ""
    seen = set()
    for index, measure in enumerate(_list(problems, data.get("measures"), "measures")):
        where = f"measures[{index}]"
        if _mapping(problems, measure, where) is None:
            continue
        key = measure.get("id")
        if key not in MEASURE_KEYS:
            problems.add(f"{where}.id", f"{key!r} is not one of the seven success measures")
        for d_index, domain in enumerate(
            _list(problems, measure.get("domains"), f"{where}.domains")
        ):
            at = f"{where}.domains[{d_index}]"
            checked = check_domain(problems, domain, at, version, seen)
            if checked and checked[0] in national_domain_ids:
                problems.add(
                    f"{at}.id", f"{checked[0]!r} is a national domain; local ids must differ"
                )
