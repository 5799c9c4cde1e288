"""Reading assessments. Every read starts from ``assessments_visible_to(user)``,
which the policy scopes, so no page or API call can reach another
organisation's answers by guessing an address."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q
from django.http import Http404

from accounts.policy import assessment_scope
from assessments.levels import level_achieved
from assessments.models import Answer, AnswerRevision, Assessment, Evidence, Round
from frameworks.models import ConsistencyRule, Domain, DomainLevel, Element, FrameworkVersion
from frameworks.validation import version_key
from organisations.models import Membership
from organisations.queries import ics_of, in_force_on


def rounds():
    return Round.objects.select_related("framework_version__framework", "previous")


def round_by_slug(slug):
    """The round named in an address: 2026-27 for 2026/27."""
    found = rounds().filter(name__in={slug, slug.replace("-", "/")}).first()
    if found is None:
        raise Http404(f"There is no round called {slug}")
    return found


def assessments_visible_to(user):
    return Assessment.objects.filter(assessment_scope(user)).select_related(
        "round__framework_version", "organisation"
    )


def assessments_in_round(user, round):
    """The round's assessments the user may see, by organisation and care setting."""
    return (
        assessments_visible_to(user)
        .filter(round=round)
        .order_by("organisation__name", "care_setting")
    )


def assessments_of(user, *, round, ods_code):
    """One organisation's assessments in a round (one per care setting) that the user may see."""
    return list(
        assessments_visible_to(user).filter(round=round, organisation__ods_code=ods_code.upper())
    )


def assessments_listed(user, *, round_slug="", ods_code=""):
    """The assessments the user may see, of one round or organisation when named."""
    found = assessments_visible_to(user)
    if round_slug:
        found = found.filter(round=round_by_slug(round_slug))
    if ods_code:
        found = found.filter(organisation__ods_code=ods_code.upper())
    return found.order_by("round__name", "organisation__name")


def one_assessment(user, assessment):
    """``assessment`` alone, as the many-assessment readers (exports) take them."""
    return assessments_visible_to(user).filter(pk=assessment.pk)


def assessment_for(user, *, round_slug, ods_code, care_setting):
    """The assessment named in an address, if the user may see it."""
    found = (
        assessments_visible_to(user)
        .filter(
            round__name__in={round_slug, round_slug.replace("-", "/")},
            organisation__ods_code=ods_code.upper(),
            care_setting=care_setting,
        )
        .first()
    )
    if found is None:
        raise Http404("There is no assessment at this address that you may see")
    return found


def active_person(user_id):
    """The active person with this id, or None: whom a signed kept-input cookie names."""
    return get_user_model().objects.filter(pk=user_id, is_active=True).first()


def assessment_exists(*, round, ods_code, care_setting, domain):
    """Whether an address names a real assessment and domain, asked before
    keeping input sent after a session ended (nothing is shown by it)."""
    return Assessment.objects.filter(
        round__name__in={round, round.replace("-", "/")},
        organisation__ods_code=ods_code.upper(),
        care_setting=care_setting,
        round__framework_version__domains__key=domain,
    ).exists()


def domains_of(assessment):
    """The domains an assessment answers, in framework order: the national
    domains for its care setting (ICS-level ones for an ICS), and the local
    domains of its ICS under the round's structure."""
    ics = ics_of(assessment.organisation, on=assessment.round.structure_on)
    return domains_for_setting(
        assessment.round.framework_version, assessment.care_setting, ics.id if ics else None
    )


def domains_for_setting(version, care_setting, ics_id):
    level = DomainLevel.ICS if care_setting == "ics" else DomainLevel.ORGANISATION
    candidates = (
        Domain.objects.filter(framework_version=version, level=level)
        .filter(Q(local_set__isnull=True) | Q(local_set__ics_id=ics_id))
        .select_related("measure", "local_set__ics")
        .prefetch_related(
            Prefetch("elements", queryset=Element.objects.order_by("level", "position"))
        )
        .order_by("measure__number", "local_set", "position")
    )
    return [d for d in candidates if care_setting in d.care_settings]


def domains_by_assessment(assessments):
    """Each assessment's domains by id, by assessment id: one query for the
    ICSs, then one set of domain queries per framework version, care setting
    and ICS, however many assessments share them."""
    ics_ids = {}
    for round_id in {a.round_id for a in assessments}:
        in_round = [a for a in assessments if a.round_id == round_id]
        ics_ids[round_id] = ics_ids_on(
            [a.organisation for a in in_round], in_round[0].round.structure_on
        )
    shared, found = {}, {}
    for assessment in assessments:
        key = (
            assessment.round.framework_version_id,
            assessment.care_setting,
            ics_ids[assessment.round_id].get(assessment.organisation_id),
        )
        if key not in shared:
            domains = domains_for_setting(assessment.round.framework_version, *key[1:])
            shared[key] = {d.id: d for d in domains}
        found[assessment.id] = shared[key]
    return found


def ics_ids_on(organisations, day):
    """Each organisation's ICS id on ``day`` (an ICS is its own), in one query."""
    found = {o.id: o.id for o in organisations if o.is_ics}
    found.update(
        Membership.objects.filter(in_force_on(day), organisation__in=organisations).values_list(
            "organisation_id", "ics_id"
        )
    )
    return found


def elements_by_level(domain):
    grouped = defaultdict(list)
    for element in domain.elements.all():
        grouped[element.level].append(element.key)
    return grouped


def answers_of(assessment):
    """Current answers by domain id, with met elements, evidence and editor."""
    answers = assessment.answers.select_related("updated_by").prefetch_related(
        Prefetch("met", queryset=_met_elements()), "evidence"
    )
    return {answer.domain_id: answer for answer in answers}


def _met_elements():
    from assessments.models import MetElement

    return MetElement.objects.select_related("element")


def met_keys(answer):
    return sorted(met.element.key for met in answer.met.all())


def answer_of(assessment, domain):
    return answers_of_domains(assessment, [domain]).get(domain.id)


def answers_of_domains(assessment, domains):
    answers = assessment.answers.filter(domain__in=domains).select_related("updated_by")
    answers = answers.prefetch_related(Prefetch("met", queryset=_met_elements()), "evidence")
    return {answer.domain_id: answer for answer in answers}


@dataclass
class MeasureProgress:
    measure: object
    domains: list
    answered: int = 0
    carried_forward: int = 0

    @property
    def total(self):
        return len(self.domains)


@dataclass
class Progress:
    measures: list
    answered: int = 0
    total: int = 0
    carried_forward: int = 0


def progress(assessment, domains=None, answers=None):
    """Answered domains per measure and overall. A carried-forward answer not
    yet confirmed or changed is counted apart, as still to do."""
    domains = domains if domains is not None else domains_of(assessment)
    answers = answers if answers is not None else answers_of(assessment)
    by_measure = {}
    for domain in domains:
        entry = by_measure.setdefault(domain.measure_id, MeasureProgress(domain.measure, []))
        entry.domains.append(domain)
        answer = answers.get(domain.id)
        if answer is None:
            continue
        if answer.carried_forward:
            entry.carried_forward += 1
        else:
            entry.answered += 1
    measures = list(by_measure.values())
    return Progress(
        measures=measures,
        answered=sum(m.answered for m in measures),
        total=sum(m.total for m in measures),
        carried_forward=sum(m.carried_forward for m in measures),
    )


def previous_assessment(assessment):
    previous = assessment.round.previous
    if previous is None:
        return None
    return Assessment.objects.filter(
        round=previous, organisation=assessment.organisation, care_setting=assessment.care_setting
    ).first()


def not_carried(assessment, domains):
    """Domains never carried from the previous round, by id, with why: new
    since it, or reworded so that its answers are not comparable."""
    previous = assessment.round.previous
    if previous is None or previous_assessment(assessment) is None:
        return {}
    old_keys = set(previous.framework_version.domains.values_list("key", flat=True))
    since = version_key(previous.framework_version.version)
    reasons = {}
    for domain in domains:
        if domain.key not in old_keys:
            reasons[domain.id] = f"New since {previous.name}: answer it afresh"
        elif version_key(domain.comparable_since) > since:
            reasons[domain.id] = (
                f"Reworded since {previous.name}, so not comparable: answer it afresh"
            )
    return reasons


@dataclass
class Problem:
    """Something that stops submission, with the domain to fix it in."""

    text: str
    domain: object = None
    kind: str = ""


@dataclass
class Problems:
    unanswered: list = field(default_factory=list)
    unconfirmed: list = field(default_factory=list)
    missing_evidence: list = field(default_factory=list)
    inconsistent: list = field(default_factory=list)

    def __iter__(self):
        yield from self.unanswered
        yield from self.unconfirmed
        yield from self.missing_evidence
        yield from self.inconsistent

    def __bool__(self):
        return any(True for _ in self)


def problems_of(assessment, domains=None, answers=None):
    """What stops this assessment being submitted, in plain words."""
    domains = domains if domains is not None else domains_of(assessment)
    answers = answers if answers is not None else answers_of(assessment)
    found = Problems()
    for domain in domains:
        answer = answers.get(domain.id)
        if answer is None:
            found.unanswered.append(Problem(f"{domain.name} has not been answered", domain))
            continue
        if answer.carried_forward:
            found.unconfirmed.append(
                Problem(f"{domain.name} was carried forward: confirm or change it", domain)
            )
        needs_evidence = domain.evidence_required_from
        if needs_evidence and (answer.level or 0) >= needs_evidence and not answer.evidence.all():
            found.missing_evidence.append(
                Problem(
                    f"{domain.name} is at level {answer.level}, which needs evidence "
                    f"(from level {needs_evidence}): add evidence or change the answer",
                    domain,
                )
            )
    found.inconsistent = broken_rules(assessment, domains, answers)
    return found


def broken_rules(assessment, domains, answers):
    by_id = {domain.id: domain for domain in domains}
    rules = ConsistencyRule.objects.filter(
        framework_version=assessment.round.framework_version,
        domain__in=by_id,
        requires_domain__in=by_id,
    )
    broken = []
    for rule in rules:
        claim, needed = answers.get(rule.domain_id), answers.get(rule.requires_domain_id)
        if claim is None or (claim.level or 0) < rule.at_least:
            continue
        needed_level = (needed.level or 0) if needed else 0
        if needed_level >= rule.requires_at_least:
            continue
        domain, required = by_id[rule.domain_id], by_id[rule.requires_domain_id]
        answered = (
            f"{required.name} at level {needed_level}"
            if needed and not needed.not_applicable
            else f"{required.name} {'as not applicable' if needed else 'not at all yet'}"
        )
        broken.append(
            Problem(
                f"You answered {domain.name} at level {claim.level} but {answered}; "
                f"level {rule.at_least} {domain.name} needs {required.name} at level "
                f"{rule.requires_at_least} or above. {rule.explanation}".strip(),
                required,
                kind="consistency",
            )
        )
    return broken


def transitions_of(assessment):
    return assessment.transitions.select_related("by").order_by("at", "pk")


def history_of(assessment, domain):
    """Every revision of the answer to ``domain``, oldest first."""
    return list(
        AnswerRevision.objects.filter(answer__assessment=assessment, answer__domain=domain)
        .select_related("by")
        .order_by("version")
    )


def revisions_at(assessment, at):
    """The assessment as it stood at ``at``: each answer's last revision then,
    by domain id."""
    latest = {}
    revisions = (
        AnswerRevision.objects.filter(answer__assessment=assessment, at__lte=at)
        .select_related("by", "answer")
        .order_by("answer_id", "version")
    )
    for revision in revisions:
        latest[revision.answer.domain_id] = revision
    return latest


def status_at(assessment, at):
    last = assessment.transitions.filter(at__lte=at).order_by("at", "pk").last()
    return last.to_status if last else None


def evidence_of(organisation, round):
    return Evidence.objects.filter(organisation=organisation, round=round).select_related(
        "added_by"
    )


def evidence_for(user, *, round_slug, ods_code, number):
    """One piece of evidence, if the user may see one of the organisation's
    assessments in its round."""
    visible = assessments_visible_to(user).filter(
        round__name__in={round_slug, round_slug.replace("-", "/")},
        organisation__ods_code=ods_code.upper(),
    )
    assessment = visible.first()
    if assessment is None:
        raise Http404("There is no evidence at this address that you may see")
    found = evidence_of(assessment.organisation, assessment.round).filter(number=number).first()
    if found is None:
        raise Http404("There is no evidence at this address that you may see")
    return found


def answers_supported_by(evidence):
    return (
        Answer.objects.filter(evidence=evidence)
        .select_related("assessment", "domain__measure")
        .order_by("assessment__care_setting", "domain__measure__number", "domain__position")
    )


def published_versions():
    return FrameworkVersion.objects.filter(status=FrameworkVersion.Status.PUBLISHED)


def level_of(domain, keys):
    return level_achieved(elements_by_level(domain), keys)


def own_assessments(user):
    """Assessments at the organisations where the user holds a role, in rounds
    not yet closed."""
    from accounts.policy import organisation_ids_of
    from assessments.workflow import RoundStatus

    found = assessments_visible_to(user).filter(organisation_id__in=organisation_ids_of(user))
    return [
        a
        for a in found.order_by("-round__opens_on", "care_setting")
        if a.round.status != RoundStatus.CLOSED
    ]
