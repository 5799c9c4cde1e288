"""Reading frameworks: versions, their measures and domains as a person may
see them, and what changed between two versions."""

from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404

from accounts.policy import domains_visible_to
from frameworks.models import Domain, Element, FrameworkVersion
from frameworks.validation import version_key


def all_versions():
    return FrameworkVersion.objects.select_related("framework").order_by(
        "framework__slug", "-year", "-revision"
    )


def latest_published():
    return all_versions().filter(status=FrameworkVersion.Status.PUBLISHED).first()


def version_by(slug, version):
    return get_object_or_404(all_versions(), framework__slug=slug, version=version)


def previous_version(framework_version):
    return (
        all_versions()
        .filter(framework=framework_version.framework, year__lte=framework_version.year)
        .exclude(pk=framework_version.pk)
        .exclude(year=framework_version.year, revision__gt=framework_version.revision)
        .first()
    )


def domains_for(user, framework_version, *, care_setting=None, level=None):
    domains = domains_visible_to(user, framework_version).prefetch_related(
        Prefetch("elements", queryset=Element.objects.order_by("level", "position"))
    )
    if level:
        domains = domains.filter(level=level)
    domains = list(domains)
    if care_setting:
        domains = [d for d in domains if care_setting in d.care_settings]
    return domains


@dataclass
class MeasureView:
    measure: object
    domains: list


def measures_for(user, framework_version, **filters):
    """Each measure with the domains the user may see, in framework order."""
    domains = domains_for(user, framework_version, **filters)
    by_measure = {key: list(group) for key, group in groupby(domains, key=lambda d: d.measure_id)}
    return [
        MeasureView(measure, by_measure.get(measure.id, []))
        for measure in framework_version.measures.all()
    ]


def measure_by(framework_version, key):
    return get_object_or_404(framework_version.measures, key=key)


def domain_by(user, framework_version, key):
    return get_object_or_404(domains_visible_to(user, framework_version), key=key)


def levels_of(domain):
    """``[(level, name, [elements])]`` for levels 1–5."""
    names = domain.framework_version.level_names
    elements = list(domain.elements.all())
    return [
        (level, names.get(str(level), ""), [e for e in elements if e.level == level])
        for level in range(1, 6)
    ]


def consistency_rules_of(framework_version):
    return framework_version.consistency_rules.select_related("domain", "requires_domain")


def rules_touching(domain):
    return domain.framework_version.consistency_rules.filter(
        Q(domain=domain) | Q(requires_domain=domain)
    ).select_related("domain", "requires_domain")


@dataclass
class DomainChange:
    key: str
    name: str
    changes: list = field(default_factory=list)
    comparable: bool = True


@dataclass
class Comparison:
    old: FrameworkVersion
    new: FrameworkVersion
    added: list
    removed: list
    changed: list
    unchanged: int


def _describe(domain):
    return {
        "measure": domain.measure.name,
        "name": domain.name,
        "question": domain.question,
        "level": domain.get_level_display(),
        "care settings": ", ".join(domain.care_settings),
        "weight": f"{domain.weight.normalize()}",
        "evidence required from level": domain.evidence_required_from or "none",
        "not applicable allowed": "yes" if domain.allows_not_applicable else "no",
        "elements": {e.key: e.text for e in domain.elements.all()},
    }


def compare(old, new):
    """What changed between two versions' national domains, by stable id."""
    national = (
        Domain.objects.filter(local_set__isnull=True)
        .select_related("measure")
        .prefetch_related("elements")
    )
    old_domains = {d.key: d for d in national.filter(framework_version=old)}
    new_domains = {d.key: d for d in national.filter(framework_version=new)}
    changed, unchanged = [], 0
    for key in sorted(old_domains.keys() & new_domains.keys()):
        before, after = _describe(old_domains[key]), _describe(new_domains[key])
        differences = [
            _difference(label, before[label], after[label])
            for label in before
            if before[label] != after[label]
        ]
        comparable = version_key(new_domains[key].comparable_since) <= version_key(old.version)
        if differences or not comparable:
            changed.append(DomainChange(key, new_domains[key].name, differences, comparable))
        else:
            unchanged += 1
    return Comparison(
        old=old,
        new=new,
        added=[new_domains[k] for k in sorted(new_domains.keys() - old_domains.keys())],
        removed=[old_domains[k] for k in sorted(old_domains.keys() - new_domains.keys())],
        changed=changed,
        unchanged=unchanged,
    )


def _difference(label, before, after):
    if label != "elements":
        return f"{label.capitalize()} changed from “{before}” to “{after}”"
    added = sorted(after.keys() - before.keys())
    removed = sorted(before.keys() - after.keys())
    reworded = sorted(k for k in before.keys() & after.keys() if before[k] != after[k])
    parts = []
    for words, keys in (("added", added), ("removed", removed), ("reworded", reworded)):
        if keys:
            parts.append(f"elements {words}: {', '.join(keys)}")
    return "; ".join(parts).capitalize()
