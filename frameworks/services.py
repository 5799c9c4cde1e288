"""Loading framework files: validate everything, then write it all in one
transaction or nothing at all."""

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import yaml
from django.db import transaction

from frameworks import validation
from frameworks.models import (
    BoardQuestion,
    ConsistencyRule,
    Domain,
    DomainSetting,
    Element,
    Framework,
    FrameworkVersion,
    LocalDomainSet,
    Measure,
)
from organisations.models import Organisation, OrganisationType


class FrameworkFileInvalid(Exception):
    """The file was refused; ``messages`` says where and why, every fault."""

    def __init__(self, messages):
        self.messages = list(messages)
        super().__init__("\n".join(self.messages))


@dataclass
class LoadResult:
    description: str
    outcome: str  # "created", "replaced", "unchanged" or "valid"
    domains: int

    def __str__(self):
        return f"{self.description}: {self.outcome} ({self.domains} domains)"


def read_file(path):
    """Parse a framework file, or refuse it naming the line of a YAML fault."""
    path = Path(path)
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise FrameworkFileInvalid([f"{name}: no such file"]) from error
    except UnicodeDecodeError as error:
        raise FrameworkFileInvalid([f"{name}: is not UTF-8 text"]) from error
    return parse_text(text, name)


def parse_text(text, name):
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(error, "problem", None) or "not valid YAML"
        raise FrameworkFileInvalid([f"{name}: {where}{problem}"]) from error
    if not isinstance(data, dict):
        raise FrameworkFileInvalid(
            [f"{name}: must be a YAML mapping with a framework or local_for section"]
        )
    return data


def content_hash(data):
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def load(*, path, check_only=False):
    """Load a national framework file or an ICS's local domains file."""
    return load_data(data=read_file(path), name=Path(path).name, check_only=check_only)


def load_data(*, data, name, check_only=False):
    if "local_for" in data:
        return load_local(data=data, name=name, check_only=check_only)
    return load_national(data=data, name=name, check_only=check_only)


def load_national(*, data, name, check_only=False):
    problems = validation.Problems(name)
    validation.check_national(problems, data)
    if problems:
        raise FrameworkFileInvalid(problems.messages)
    header = data["framework"]
    version = str(header["version"])
    description = f"{header['title']} {version}"
    domain_count = sum(len(measure["domains"]) for measure in data["measures"])
    existing = FrameworkVersion.objects.filter(
        framework__slug=header["slug"], version=version
    ).first()
    digest = content_hash(data)
    if existing and existing.content_hash == digest:
        return LoadResult(description, "unchanged", domain_count)
    if existing and existing.status == FrameworkVersion.Status.PUBLISHED:
        raise FrameworkFileInvalid(
            [
                f"{name}: framework.version: {header['slug']} {version} is already published and "
                "cannot change; give the changed file a new version number"
            ]
        )
    if check_only:
        return LoadResult(description, "valid", domain_count)
    with transaction.atomic():
        outcome = "created"
        if existing:
            existing.delete()
            outcome = "replaced"
        _write_national(data, digest)
    return LoadResult(description, outcome, domain_count)


def _write_national(data, digest):
    header = data["framework"]
    framework, _ = Framework.objects.get_or_create(
        slug=header["slug"], defaults={"title": header["title"]}
    )
    year, revision = validation.version_key(header["version"])
    framework_version = FrameworkVersion.objects.create(
        framework=framework,
        version=str(header["version"]),
        year=year,
        revision=revision,
        title=header["title"],
        status=header["status"],
        summary=header.get("summary", ""),
        level_names={str(level): name for level, name in data["levels"].items()},
        scoring=data["scoring"],
        content_hash=digest,
        source=data,
    )
    domains = _write_domains(
        framework_version, data["measures"], local_set=None, create_measures=True
    )
    _write_rules(framework_version, data.get("consistency_rules", []), domains)
    BoardQuestion.objects.bulk_create(
        BoardQuestion(
            framework_version=framework_version,
            number=question["number"],
            key=question["id"],
            text=question["text"].strip(),
            prompt=(question.get("prompt") or "").strip(),
        )
        for question in data["board_questions"]
    )
    return framework_version


def _write_domains(framework_version, measures, *, local_set, create_measures):
    domains = {}
    elements = []
    settings = []
    for measure_data in measures:
        if create_measures:
            measure = Measure.objects.create(
                framework_version=framework_version,
                key=measure_data["id"],
                number=measure_data["number"],
                name=measure_data["name"].strip(),
                published_name=(measure_data.get("published_name") or "").strip(),
                ics_expectation=measure_data["ics_expectation"].strip(),
                organisation_expectation=measure_data["organisation_expectation"].strip(),
            )
        else:
            measure = framework_version.measures.get(key=measure_data["id"])
        start = 1000 if local_set else 0  # local domains sort after the national core
        for position, domain_data in enumerate(measure_data["domains"], start=start + 1):
            domain = Domain.objects.create(
                framework_version=framework_version,
                measure=measure,
                local_set=local_set,
                key=domain_data["id"],
                position=position,
                name=domain_data["name"].strip(),
                question=domain_data["question"].strip(),
                help_text=(domain_data.get("help") or "").strip(),
                level=domain_data["level"],
                care_settings=domain_data["care_settings"],
                weight=Decimal(str(domain_data.get("weight", 1))),
                evidence_required_from=domain_data.get("evidence_required_from"),
                allows_not_applicable=domain_data.get("allows_not_applicable", False),
                comparable_since=str(domain_data["comparable_since"]),
            )
            domains[domain.key] = domain
            settings.extend(
                DomainSetting(domain=domain, care_setting=setting)
                for setting in domain.care_settings
            )
            for level, level_elements in sorted(
                domain_data["levels"].items(), key=lambda i: int(i[0])
            ):
                elements.extend(
                    Element(
                        domain=domain,
                        level=int(level),
                        key=element["id"],
                        position=index,
                        text=element["text"].strip(),
                    )
                    for index, element in enumerate(level_elements, start=1)
                )
    Element.objects.bulk_create(elements)
    DomainSetting.objects.bulk_create(settings)
    return domains


def _write_rules(framework_version, rules, domains):
    ConsistencyRule.objects.bulk_create(
        ConsistencyRule(
            framework_version=framework_version,
            key=rule["id"],
            domain=domains[rule["when"]["domain"]],
            at_least=rule["when"]["at_least"],
            requires_domain=domains[rule["requires"]["domain"]],
            requires_at_least=rule["requires"]["at_least"],
            explanation=(rule.get("explanation") or "").strip(),
        )
        for rule in rules
    )


def load_local(*, data, name, check_only=False):
    header = data.get("local_for") or {}
    framework_version = FrameworkVersion.objects.filter(
        framework__slug=header.get("framework"), version=str(header.get("version"))
    ).first()
    national_ids = (
        set(framework_version.domains.filter(local_set__isnull=True).values_list("key", flat=True))
        if framework_version
        else set()
    )
    problems = validation.Problems(name)
    validation.check_local(problems, data, national_ids)
    if header and framework_version is None:
        problems.add(
            "local_for",
            f"no framework {header.get('framework')!r} version {header.get('version')!r} is loaded",
        )
    ics = Organisation.objects.filter(
        ods_code=str(header.get("ics", "")).upper(), org_type=OrganisationType.ICB
    ).first()
    if header.get("ics") and ics is None:
        problems.add("local_for.ics", f"no ICS has the ODS code {header.get('ics')!r}")
    if problems:
        raise FrameworkFileInvalid(problems.messages)
    description = f"{header['title']} (local to {ics.name}, {framework_version})"
    domain_count = sum(len(measure["domains"]) for measure in data["measures"])
    digest = content_hash(data)
    existing = LocalDomainSet.objects.filter(framework_version=framework_version, ics=ics).first()
    if existing and existing.content_hash == digest:
        return LoadResult(description, "unchanged", domain_count)
    if existing and existing.domains.filter(answers__isnull=False).exists():
        raise FrameworkFileInvalid(
            [
                f"{name}: local_for: {ics.ods_code}'s local domains for {framework_version} "
                "already have answers and cannot change; load the changed file for a new "
                "framework version"
            ]
        )
    if check_only:
        return LoadResult(description, "valid", domain_count)
    with transaction.atomic():
        outcome = "replaced" if existing else "created"
        if existing:
            existing.delete()
        local_set = LocalDomainSet.objects.create(
            framework_version=framework_version,
            ics=ics,
            title=header["title"],
            content_hash=digest,
            source=data,
        )
        _write_domains(
            framework_version, data["measures"], local_set=local_set, create_measures=False
        )
    return LoadResult(description, outcome, domain_count)
