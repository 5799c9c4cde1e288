"""Synthetic demo rounds for `northstar demo`: a previous round, 2025/26
(published), and the current one, 2026/27 (open), for the demo ICS and its
member organisations, in mixed states. Every answer is synthetic and says so.
Idempotent: a round that exists is left alone."""

import random
from datetime import date

from django.db import transaction
from django.utils import timezone

from assessments import exchange, services, signals
from assessments.models import Assessment, AssessmentStatus, Evidence, Round, Transition
from frameworks.models import Framework, FrameworkVersion
from organisations.models import Organisation
from organisations.queries import members_of

DEMO_ICS = "QE1"
DEMO_TRUST = "RXN"
SYNTHETIC = "Synthetic demo answer"
PREVIOUS = ("2025/26", date(2025, 4, 1), date(2025, 6, 30))
CURRENT = ("2026/27", date(2026, 4, 1), date(2027, 3, 31))

# Where each organisation's 2026/27 assessment stands, so that each demo role
# has something to do: the demo trust's is a draft started from last year's
# answers; others wait for approval, validation or publication.
CURRENT_STATES = [
    AssessmentStatus.APPROVED,
    AssessmentStatus.SUBMITTED,
    AssessmentStatus.VALIDATED,
    AssessmentStatus.DRAFT,
]
PATH = [
    AssessmentStatus.SUBMITTED,
    AssessmentStatus.APPROVED,
    AssessmentStatus.VALIDATED,
    AssessmentStatus.PUBLISHED,
]


def _version():
    framework = Framework.objects.filter(slug="wgll").first()
    return (
        FrameworkVersion.objects.filter(
            framework=framework, status=FrameworkVersion.Status.PUBLISHED
        )
        .order_by("year", "revision")
        .first()
    )


def _organisations(on):
    ics = Organisation.objects.get(ods_code=DEMO_ICS)
    return [ics, *members_of(ics, on=on)]


@transaction.atomic
def create_demo_rounds():
    """Create the demo rounds if they are missing; returns what was done, in words."""
    version = _version()
    if version is None or not Organisation.objects.filter(ods_code=DEMO_ICS).exists():
        return "Demo rounds skipped: load the framework and organisations first."
    previous = Round.objects.filter(name=PREVIOUS[0]).first()
    done = []
    if previous is None:
        previous = _open(PREVIOUS, version, None)
        _answer(previous, seed=2025)
        _move(previous.assessments.all(), PATH)
        signals.publication_changed.send(
            sender=Round,
            round_id=previous.pk,
            assessment_ids=list(previous.assessments.values_list("pk", flat=True)),
        )
        done.append(f"{previous.name} (published)")
    if not Round.objects.filter(name=CURRENT[0]).exists():
        current = _open(CURRENT, version, previous)
        _current_states(current)
        done.append(f"{current.name} (open, in mixed states)")
    if not done:
        return "Demo rounds already in place."
    return "Synthetic demo rounds: " + "; ".join(done)


def _open(spec, version, previous):
    name, opens_on, closes_on = spec
    return services.open_round(
        name=name,
        framework_version=version,
        opens_on=opens_on,
        closes_on=closes_on,
        previous=previous,
        organisations=_organisations(opens_on),
        by=None,
    )


def _answer(round, *, seed, skip=()):
    """A synthetic answer (levels 1 to 3, so no evidence is needed) to every
    domain of each assessment not in ``skip``."""
    chooser = random.Random(seed)  # noqa: S311 (synthetic data, not security)
    catalogue = exchange.Catalogue([])
    planned = []
    for assessment in round.assessments.select_related("organisation", "round__framework_version"):
        if assessment.id in skip:
            continue
        catalogue.assessments[
            (assessment.organisation.ods_code, round.name, assessment.care_setting)
        ] = assessment
        for entry in catalogue.domains(assessment).values():
            by_level = entry[2]
            level = chooser.choice([1, 2, 2, 3, 3])
            elements = [k for lower in range(1, level + 1) for k in by_level[lower]]
            extra = by_level.get(level + 1, [])[:1]
            planned.append(
                exchange.Planned(
                    0, assessment, entry, sorted(elements + extra), False, "", SYNTHETIC
                )
            )
    return exchange.write_planned(planned, by=None, note="Synthetic demo data", progress=None)


def _move(assessments, path, comment="Synthetic demo step"):
    """Take each assessment along ``path`` in the sign-off workflow."""
    now = timezone.now()
    transitions = []
    for assessment in assessments:
        status = assessment.status
        for target in path:
            transitions.append(
                Transition(
                    assessment=assessment,
                    from_status=status,
                    to_status=target,
                    at=now,
                    comment=comment,
                )
            )
            status = target
    Transition.objects.bulk_create(transitions)
    if path:
        Assessment.objects.filter(pk__in=[a.pk for a in assessments]).update(
            status=path[-1], status_changed_at=now
        )


def _current_states(current):
    """The demo trust keeps last year's answers to confirm; the others have
    answered afresh and stand at different steps."""
    others = list(
        current.assessments.exclude(organisation__ods_code=DEMO_TRUST).order_by(
            "organisation__name", "care_setting"
        )
    )
    _answer(
        current,
        seed=2026,
        skip={a.id for a in current.assessments.filter(organisation__ods_code=DEMO_TRUST)},
    )
    for index, assessment in enumerate(others):
        state = CURRENT_STATES[index % len(CURRENT_STATES)]
        if state != AssessmentStatus.DRAFT:
            _move([assessment], PATH[: PATH.index(state) + 1])
    trust = Organisation.objects.get(ods_code=DEMO_TRUST)
    Evidence.objects.create(
        organisation=trust,
        round=current,
        number=1,
        kind=Evidence.Kind.NOTE,
        title="Synthetic demo evidence: electronic patient record roll-out",
        note=(
            "**Synthetic demo evidence.** The board approved the roll-out plan; "
            "wards live so far are listed in the programme report."
        ),
    )
