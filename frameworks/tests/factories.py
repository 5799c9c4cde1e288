"""A small but complete framework, as the data a framework file holds, for tests."""

import copy

import yaml

from frameworks import services
from frameworks.validation import MEASURE_KEYS

MEASURE_NAMES = {
    "well_led": "Well led",
    "smart_foundations": "Ensure smart foundations",
    "safe_practice": "Safe practice",
    "support_people": "Support people",
    "empower_citizens": "Empower citizens",
    "improve_care": "Improve care",
    "healthy_populations": "Healthy populations",
}


def levels_for(domain_id):
    return {
        level: [
            {"id": f"{level}{letter}", "text": f"{domain_id} level {level} element {letter}"}
            for letter in "ab"
        ]
        for level in range(1, 6)
    }


def domain(domain_id, *, level="organisation", settings=None, **extra):
    settings = settings or (
        ["ics"] if level == "ics" else ["acute", "mental_health", "community", "ambulance"]
    )
    data = {
        "id": domain_id,
        "name": domain_id.replace("-", " ").capitalize(),
        "question": f"How mature is {domain_id}?",
        "help": "What to consider.",
        "level": level,
        "care_settings": settings,
        "weight": 1,
        "evidence_required_from": 4,
        "allows_not_applicable": False,
        "comparable_since": "2024.1",
        "levels": levels_for(domain_id),
    }
    data.update(extra)
    return data


def framework_data(*, version="2025.1", status="published", slug="wgll"):
    measures = []
    for number, key in enumerate(MEASURE_KEYS, start=1):
        domains = [
            domain(f"{key.replace('_', '-')}-core"),
            domain(f"ics-{key.replace('_', '-')}", level="ics"),
        ]
        if key == "smart_foundations":
            domains.insert(0, domain("epr", weight=2))
        if key == "improve_care":
            domains.insert(0, domain("closed-loop-medicines"))
        measures.append(
            {
                "id": key,
                "number": number,
                "name": MEASURE_NAMES[key],
                "published_name": MEASURE_NAMES[key].title(),
                "ics_expectation": f"What good looks like for an ICS in {key}.",
                "organisation_expectation": f"What good looks like for an organisation in {key}.",
                "domains": domains,
            }
        )
    return {
        "framework": {
            "slug": slug,
            "title": "What Good Looks Like",
            "version": version,
            "status": status,
            "summary": "Test framework.",
        },
        "levels": {1: "Not started", 2: "Planned", 3: "In place", 4: "Embedded", 5: "Optimised"},
        "scoring": {
            "domain": "level_achieved",
            "not_applicable": "excluded",
            "unanswered": "not_scored",
            "measure": "weighted_mean",
            "overall": "mean_of_domains",
            "combined_settings": "mean_of_settings",
            "year_on_year": "comparable_domains_only",
            "local_domains": "excluded_from_national",
        },
        "measures": measures,
        "consistency_rules": [
            {
                "id": "epma-needs-epr",
                "when": {"domain": "closed-loop-medicines", "at_least": 4},
                "requires": {"domain": "epr", "at_least": 3},
                "explanation": "Closed-loop medicines needs an electronic patient record.",
            }
        ],
        "board_questions": [
            {
                "number": n,
                "id": f"question-{n}",
                "text": f"Board question {n}?",
                "prompt": "A good answer shows…",
            }
            for n in range(1, 9)
        ],
    }


def local_data(*, ics="QE1", version="2025.1"):
    return {
        "local_for": {
            "framework": "wgll",
            "version": version,
            "ics": ics,
            "title": "Local domains",
        },
        "measures": [{"id": "improve_care", "domains": [domain("local-community-diagnostics")]}],
    }


def write(tmp_path, data, name="framework.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(copy.deepcopy(data), sort_keys=False))
    return path


def load(tmp_path, data=None, name="framework.yaml"):
    """Load a framework into the test database; returns its FrameworkVersion."""
    from frameworks.models import FrameworkVersion

    data = data or framework_data()
    services.load(path=write(tmp_path, data, name))
    return FrameworkVersion.objects.get(
        framework__slug=data["framework"]["slug"], version=data["framework"]["version"]
    )
