from django.db import models
from django.db.models import Q


class OrganisationType(models.TextChoices):
    ICB = "icb", "Integrated care board (ICS)"
    ACUTE = "acute", "Acute trust"
    SPECIALIST = "specialist", "Specialist trust"
    MENTAL_HEALTH = "mental_health", "Mental health trust"
    COMBINED = "combined", "Mental health and community trust"
    COMMUNITY = "community", "Community trust"
    AMBULANCE = "ambulance", "Ambulance trust"
    PCN = "pcn", "Primary care network"
    GP_PRACTICE = "gp_practice", "GP practice"
    SOCIAL_CARE = "social_care", "Social care provider"
    UNKNOWN = "unknown", "Not yet classified"


TRUST_TYPES = frozenset(
    {
        OrganisationType.ACUTE,
        OrganisationType.SPECIALIST,
        OrganisationType.MENTAL_HEALTH,
        OrganisationType.COMBINED,
        OrganisationType.COMMUNITY,
        OrganisationType.AMBULANCE,
        OrganisationType.UNKNOWN,
    }
)


class CareSetting(models.TextChoices):
    """The settings a survey is answered for, as in NHS England's DMA."""

    ACUTE = "acute", "Acute"
    MENTAL_HEALTH = "mental_health", "Mental health"
    COMMUNITY = "community", "Community"
    AMBULANCE = "ambulance", "Ambulance"
    ICS = "ics", "Integrated care system"


class Organisation(models.Model):
    ods_code = models.CharField("ODS code", max_length=12, unique=True)
    name = models.CharField(max_length=200)
    org_type = models.CharField("type", max_length=20, choices=OrganisationType.choices)
    region = models.CharField(max_length=60, blank=True)
    care_settings = models.JSONField(
        default=list, blank=True, help_text="Care settings this organisation reports on."
    )
    opened_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    details_from = models.DateField(
        null=True,
        blank=True,
        help_text=(
            "Effective date of the import these details come from, so that importing "
            "an older structure never overwrites a newer one."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | Q(opened_on__isnull=True)
                | Q(closed_on__gte=models.F("opened_on")),
                name="organisation_closes_after_it_opens",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.ods_code})"

    @property
    def is_ics(self):
        return self.org_type == OrganisationType.ICB

    def is_open_on(self, day):
        opened = self.opened_on is None or self.opened_on <= day
        return opened and (self.closed_on is None or self.closed_on >= day)


class Membership(models.Model):
    """An organisation belongs to an ICS over a dated period, so that any
    round is shown with the structure in force when it ran."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    ics = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="members")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["organisation", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "valid_from"], name="one_membership_start_per_day"
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(valid_to__isnull=True),
                name="one_open_membership",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="membership_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return f"{self.organisation.ods_code} in {self.ics.ods_code} from {self.valid_from}"


class SuccessionType(models.TextChoices):
    MERGER = "merger", "Merger"
    SPLIT = "split", "Split"
    ACQUISITION = "acquisition", "Part acquired"


class Succession(models.Model):
    """A predecessor organisation whose history carries into a successor."""

    predecessor = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="successions"
    )
    successor = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="predecessions"
    )
    effective_on = models.DateField()
    succession_type = models.CharField(max_length=20, choices=SuccessionType.choices)

    class Meta:
        ordering = ["effective_on", "predecessor__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor", "effective_on"], name="unique_succession"
            )
        ]

    def __str__(self):
        return f"{self.predecessor.ods_code} → {self.successor.ods_code} ({self.effective_on})"


class SizeMeasure(models.TextChoices):
    """The published size figures similar organisations are found by."""

    GENERAL_ACUTE_BEDS = "general_acute_beds", "General and acute beds"
    ADULT_CRITICAL_CARE_BEDS = "adult_critical_care_beds", "Adult critical care beds"
    PAEDIATRIC_INTENSIVE_CARE_BEDS = (
        "paediatric_intensive_care_beds",
        "Paediatric intensive care beds",
    )
    NEONATAL_INTENSIVE_CARE_BEDS = "neonatal_intensive_care_beds", "Neonatal intensive care beds"
    ANNUAL_EXPENDITURE = "annual_expenditure", "Annual expenditure (£ million)"
    STAFF = "staff", "Staff (headcount)"


# Which measure decides nearness: the first of these an organisation has.
NEARNESS_MEASURES = (
    SizeMeasure.GENERAL_ACUTE_BEDS,
    SizeMeasure.ANNUAL_EXPENDITURE,
    SizeMeasure.STAFF,
)


class SizeFigure(models.Model):
    """One published size figure of an organisation for one year."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="size_figures"
    )
    year = models.PositiveSmallIntegerField(
        help_text="The financial year it starts in, e.g. 2024 for 2024/25."
    )
    measure = models.CharField(max_length=40, choices=SizeMeasure.choices)
    value = models.DecimalField(max_digits=12, decimal_places=1)
    source = models.CharField(max_length=500, help_text="Where the figure was published.")

    class Meta:
        ordering = ["organisation", "measure", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "measure", "year"], name="one_size_figure_a_year"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="size_not_negative"),
        ]

    def __str__(self):
        return f"{self.organisation.ods_code} {self.year} {self.measure}: {self.value}"


class SimilarBasis(models.TextChoices):
    PUBLISHED = "published", "On its published list of similar trusts"
    SIZE = "size", "Nearest of its type in size"


class SimilarOrganisation(models.Model):
    """One of an organisation's similar organisations, derived from the
    published peer lists and size figures by
    ``organisations.services.refresh_similar_organisations``."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="similar_organisations"
    )
    peer = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField(help_text="1 = most similar.")
    basis = models.CharField(max_length=20, choices=SimilarBasis.choices)
    measure = models.CharField(
        max_length=40, choices=SizeMeasure.choices, blank=True, help_text="For nearness by size."
    )
    source = models.CharField(max_length=500)

    class Meta:
        ordering = ["organisation", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "peer"], name="one_similar_pair"),
            models.CheckConstraint(
                condition=~Q(organisation=models.F("peer")), name="not_similar_to_itself"
            ),
        ]

    def __str__(self):
        return f"{self.organisation_id} ~ {self.peer_id} ({self.basis})"


class PublishedPeer(models.Model):
    """A pair from a published list of similar trusts, as loaded."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="published_peers"
    )
    peer = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=500)

    class Meta:
        ordering = ["organisation", "peer"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "peer"], name="one_published_pair"),
            models.CheckConstraint(
                condition=~Q(organisation=models.F("peer")), name="not_its_own_peer"
            ),
        ]

    def __str__(self):
        return f"{self.organisation_id} ~ {self.peer_id}"
