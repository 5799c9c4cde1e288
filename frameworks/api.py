from datetime import datetime
from decimal import Decimal

from django.urls import reverse
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import StrictBool

from accounts.policy import Permission, has_permission
from core.api_schemas import NOT_FOUND, Error
from frameworks import queries, services

router = Router(tags=["Frameworks"])


class VersionSummary(Schema):
    framework: str
    version: str
    title: str
    status: str
    loaded_at: datetime
    url: str


class ElementOut(Schema):
    id: str
    text: str


class LevelOut(Schema):
    level: int
    name: str
    elements: list[ElementOut]


class DomainOut(Schema):
    id: str
    name: str
    question: str
    help: str
    level: str
    care_settings: list[str]
    weight: Decimal
    evidence_required_from: int | None
    allows_not_applicable: bool
    comparable_since: str
    local_to_ics: str | None
    levels: list[LevelOut]


class FrameworkMeasureOut(Schema):
    id: str
    number: int
    name: str
    published_name: str
    ics_expectation: str
    organisation_expectation: str
    domains: list[DomainOut]


class RuleOut(Schema):
    id: str
    when_domain: str
    when_at_least: int
    requires_domain: str
    requires_at_least: int
    explanation: str


class BoardQuestionOut(Schema):
    number: int
    id: str
    text: str
    prompt: str


class VersionTree(VersionSummary):
    summary: str
    scoring: dict
    level_names: dict[str, str]
    measures: list[FrameworkMeasureOut]
    consistency_rules: list[RuleOut]
    board_questions: list[BoardQuestionOut]


class LoadIn(Schema):
    content: str = Field(min_length=1)
    check_only: StrictBool = False


class LoadOut(Schema):
    description: str
    outcome: str
    domains: int


def _summary(version):
    return {
        "framework": version.framework.slug,
        "version": version.version,
        "title": version.title,
        "status": version.status,
        "loaded_at": version.loaded_at,
        "url": reverse("frameworks:version", args=[version.framework.slug, version.version]),
    }


def _domain(domain):
    return {
        "id": domain.key,
        "name": domain.name,
        "question": domain.question,
        "help": domain.help_text,
        "level": domain.level,
        "care_settings": domain.care_settings,
        "weight": domain.weight,
        "evidence_required_from": domain.evidence_required_from,
        "allows_not_applicable": domain.allows_not_applicable,
        "comparable_since": domain.comparable_since,
        "local_to_ics": domain.local_set.ics.ods_code if domain.local_set_id else None,
        "levels": [
            {
                "level": level,
                "name": name,
                "elements": [{"id": e.key, "text": e.text} for e in elements],
            }
            for level, name, elements in queries.levels_of(domain)
        ],
    }


@router.get("", response=list[VersionSummary], summary="Every framework version")
def list_versions(request):
    return [_summary(version) for version in queries.all_versions()]


@router.get(
    "/{slug}/{version}",
    response={200: VersionTree, **NOT_FOUND},
    summary="One framework version as a full tree",
    description="Measures, domains (with the local domains of your own ICS), levels, elements, rules and board questions.",
)
def version_tree(request, slug: str, version: str):
    framework_version = queries.version_by(slug, version)
    measures = queries.measures_for(request.user, framework_version)
    return {
        **_summary(framework_version),
        "summary": framework_version.summary,
        "scoring": framework_version.scoring,
        "level_names": framework_version.level_names,
        "measures": [
            {
                "id": view.measure.key,
                "number": view.measure.number,
                "name": view.measure.name,
                "published_name": view.measure.published_name,
                "ics_expectation": view.measure.ics_expectation,
                "organisation_expectation": view.measure.organisation_expectation,
                "domains": [_domain(domain) for domain in view.domains],
            }
            for view in measures
        ],
        "consistency_rules": [
            {
                "id": rule.key,
                "when_domain": rule.domain.key,
                "when_at_least": rule.at_least,
                "requires_domain": rule.requires_domain.key,
                "requires_at_least": rule.requires_at_least,
                "explanation": rule.explanation,
            }
            for rule in queries.consistency_rules_of(framework_version)
        ],
        "board_questions": [
            {"number": q.number, "id": q.key, "text": q.text, "prompt": q.prompt}
            for q in framework_version.board_questions.all()
        ],
    }


@router.post(
    "",
    response={200: LoadOut, 201: LoadOut, 400: Error},
    summary="Load a framework file (platform admins)",
    description=(
        "Send the YAML file's text as `content`. It is checked completely first; any fault "
        "refuses the whole file (400, every fault listed) and nothing changes. "
        "With `check_only` it is validated without writing."
    ),
)
def load_version(request, payload: LoadIn):
    if not has_permission(request.user, Permission.MANAGE_FRAMEWORKS):
        raise HttpError(403, "Only a platform admin may load a framework.")
    try:
        data = services.parse_text(payload.content, "content")
        result = services.load_data(data=data, name="content", check_only=payload.check_only)
    except services.FrameworkFileInvalid as refused:
        detail = f"The framework was refused: {len(refused.messages)} problem(s); nothing changed."
        return Status(400, {"detail": detail, "errors": refused.messages})
    status = 201 if result.outcome in ("created", "replaced") else 200
    return Status(
        status,
        {"description": result.description, "outcome": result.outcome, "domains": result.domains},
    )
