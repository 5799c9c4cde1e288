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


class Profile(models.Model):
    """A published size profile for one year, used to find similar organisations."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="profiles"
    )
    year = models.PositiveSmallIntegerField(
        help_text="The financial year it starts in, e.g. 2025 for 2025/26."
    )
    annual_expenditure = models.DecimalField(
        "annual expenditure (£ million)", max_digits=10, decimal_places=1
    )
    staff = models.PositiveIntegerField("staff (headcount)", null=True, blank=True)
    source = models.CharField(max_length=300, help_text="Where the figures were published.")

    class Meta:
        ordering = ["organisation", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="one_profile_a_year"),
            models.CheckConstraint(
                condition=models.Q(annual_expenditure__gt=0), name="expenditure_positive"
            ),
        ]

    def __str__(self):
        return f"{self.organisation.ods_code} {self.year}: £{self.annual_expenditure}m"
