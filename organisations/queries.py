"""Reads for organisations: finding them, and the ICS structure on any date."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, DateField, Exists, F, OuterRef, Q, Subquery, Value, When
from django.http import Http404
from django.utils import timezone

from organisations.models import (
    Membership,
    Organisation,
    OrganisationType,
    SimilarOrganisation,
    SizeFigure,
    SizeMeasure,
    Succession,
)

BY_TYPE = Case(
    *(When(org_type=value, then=Value(rank)) for rank, value in enumerate(OrganisationType.values))
)


def in_force_on(day):
    """Memberships in force on ``day``."""
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))


def open_on(day):
    """Organisations open on ``day``."""
    return (Q(opened_on__isnull=True) | Q(opened_on__lte=day)) & (
        Q(closed_on__isnull=True) | Q(closed_on__gte=day)
    )


def ics_of(organisation, on=None):
    """The ICS an organisation belongs to on a date (today by default); an ICS is its own."""
    if organisation.is_ics:
        return organisation
    membership = (
        organisation.memberships.filter(in_force_on(on or timezone.localdate()))
        .select_related("ics")
        .first()
    )
    return membership.ics if membership else None


def members_of(ics, on=None):
    """The organisations in ``ics`` on a date (today by default), by type then
    name, each with ``member_since``."""
    memberships = Membership.objects.filter(
        in_force_on(on or timezone.localdate()), ics=ics, organisation=OuterRef("pk")
    )
    return (
        Organisation.objects.filter(Exists(memberships))
        .annotate(member_since=Subquery(memberships.values("valid_from")[:1]))
        .order_by(BY_TYPE, "name")
    )


def with_ics(organisations, on=None):
    """Annotate ``ics_code`` and ``ics_name``: each organisation's ICS on ``on``
    (today by default), or on the day it closed if that was earlier."""
    on = on or timezone.localdate()
    membership = Membership.objects.filter(
        in_force_on(OuterRef("ics_as_of")), organisation=OuterRef("pk")
    ).order_by("-valid_from")
    is_ics = Q(org_type=OrganisationType.ICB)
    return organisations.annotate(
        ics_as_of=Case(
            When(closed_on__lt=on, then=F("closed_on")),
            default=Value(on),
            output_field=DateField(),
        )
    ).annotate(
        ics_code=Case(
            When(is_ics, then=F("ods_code")),
            default=Subquery(membership.values("ics__ods_code")[:1]),
        ),
        ics_name=Case(
            When(is_ics, then=F("name")), default=Subquery(membership.values("ics__name")[:1])
        ),
    )


def organisations(*, q="", org_type="", ics="", region="", include_closed=False):
    """Organisations by name, matching a search of name or ODS code (any case)
    and the filters; open ones only unless ``include_closed``."""
    today = timezone.localdate()
    found = with_ics(Organisation.objects.all(), today)
    if not include_closed:
        found = found.filter(open_on(today))
    if q:
        found = found.filter(Q(name__icontains=q) | Q(ods_code__icontains=q))
    if org_type:
        found = found.filter(org_type=org_type)
    if ics:
        found = found.filter(ics_code=ics.upper())
    if region:
        found = found.filter(region=region)
    return found.order_by("name", "ods_code")


def find_organisation(ods_code):
    """The organisation with this ODS code (any case), with its ICS, or None."""
    return with_ics(Organisation.objects.filter(ods_code=ods_code.upper())).first()


def organisation_by_code(ods_code):
    organisation = find_organisation(ods_code)
    if organisation is None:
        raise Http404(f"No organisation with ODS code {ods_code}")
    return organisation


def ics_by_code(ods_code):
    organisation = organisation_by_code(ods_code)
    if not organisation.is_ics:
        raise Http404(f"{ods_code} is not an integrated care board")
    return organisation


def memberships_of(organisation):
    """Every ICS the organisation has belonged to, oldest first."""
    return organisation.memberships.select_related("ics").order_by("valid_from")


def predecessors_of(organisation):
    """The successions that formed or enlarged it, with each predecessor."""
    return Succession.objects.filter(successor=organisation).select_related("predecessor")


def successors_of(organisation):
    """The successions it passed into, with each successor."""
    return (
        Succession.objects.filter(predecessor=organisation)
        .select_related("successor")
        .order_by("effective_on", "successor__name")
    )


def icss():
    """Every ICS, open and closed, by name."""
    return Organisation.objects.filter(org_type=OrganisationType.ICB).order_by("name")


def regions():
    return list(
        Organisation.objects.exclude(region="")
        .order_by("region")
        .values_list("region", flat=True)
        .distinct()
    )


@dataclass(frozen=True)
class Similar:
    """One similar organisation, with what makes it so: the published list it
    is on, or its nearness in ``measure`` (its ``size`` against ``own_size``),
    and its general and acute beds where published."""

    organisation: Organisation
    basis: str
    measure: str
    source: str
    size: Decimal | None
    own_size: Decimal | None
    beds: Decimal | None


def _latest_figures(organisation_ids):
    """``{organisation id: {measure: value}}``, the latest year of each."""
    latest = {}
    for organisation_id, measure, value in (
        SizeFigure.objects.filter(organisation_id__in=organisation_ids)
        .order_by("year")
        .values_list("organisation_id", "measure", "value")
    ):
        latest.setdefault(organisation_id, {})[measure] = value
    return latest


def similar_organisations(organisation):
    """Its similar organisations, most similar first, each with its reasons."""
    pairs = list(
        SimilarOrganisation.objects.filter(organisation=organisation).select_related("peer")
    )
    figures = _latest_figures([organisation.pk, *(p.peer_id for p in pairs)])
    own = figures.get(organisation.pk, {})
    return [
        Similar(
            organisation=p.peer,
            basis=p.basis,
            measure=p.measure,
            source=p.source,
            size=figures.get(p.peer_id, {}).get(p.measure),
            own_size=own.get(p.measure),
            beds=figures.get(p.peer_id, {}).get(SizeMeasure.GENERAL_ACUTE_BEDS),
        )
        for p in pairs
    ]
