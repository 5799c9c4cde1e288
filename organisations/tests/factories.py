"""Organisations for tests and demo data. ``TrustFactory(membership__ics=icb)``
makes a trust that has been a member of ``icb`` since 1 July 2022."""

import datetime

import factory

from organisations.models import (
    Membership,
    Organisation,
    OrganisationType,
    Succession,
    SuccessionType,
)

ICBS_ESTABLISHED = datetime.date(2022, 7, 1)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    ods_code = factory.Sequence(lambda n: f"T{n:04d}")
    name = factory.Sequence(lambda n: f"Test {n} Hospitals NHS Trust")
    org_type = OrganisationType.ACUTE
    region = "London"
    care_settings = factory.LazyFunction(lambda: ["acute"])


class IcbFactory(OrganisationFactory):
    ods_code = factory.Sequence(lambda n: f"I{n:04d}")
    name = factory.Sequence(lambda n: f"NHS Test {n} Integrated Care Board")
    org_type = OrganisationType.ICB
    care_settings = factory.LazyFunction(lambda: ["ics"])
    opened_on = ICBS_ESTABLISHED


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    ics = factory.SubFactory(IcbFactory)
    valid_from = ICBS_ESTABLISHED


class TrustFactory(OrganisationFactory):
    class Meta:
        skip_postgeneration_save = True

    membership = factory.RelatedFactory(MembershipFactory, factory_related_name="organisation")


class SuccessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Succession

    predecessor = factory.SubFactory(IcbFactory, closed_on=datetime.date(2026, 3, 31))
    successor = factory.SubFactory(IcbFactory, opened_on=datetime.date(2026, 4, 1))
    effective_on = datetime.date(2026, 4, 1)
    succession_type = SuccessionType.MERGER
