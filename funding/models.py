"""Who pays for what: an organisation's spending on IT in each financial year,
and the funding lines that paid for it."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class Source(models.TextChoices):
    """Where money comes from; the national programmes are named."""

    GLOBAL_DIGITAL_EXEMPLAR = "global_digital_exemplar", "Global Digital Exemplar programme"
    DIGITAL_ASPIRANT = "digital_aspirant", "Digital Aspirant programme"
    FRONTLINE_DIGITISATION = "frontline_digitisation", "Frontline Digitisation programme"
    OTHER_NATIONAL = "other_national", "Another national programme"
    ICS = "ics", "The integrated care system"
    OWN_BUDGET = "own_budget", "The organisation's own budget"
    CHARITABLE = "charitable", "Charitable funds"
    OTHER = "other", "Other"


NATIONAL_SOURCES = frozenset(
    {
        Source.GLOBAL_DIGITAL_EXEMPLAR,
        Source.DIGITAL_ASPIRANT,
        Source.FRONTLINE_DIGITISATION,
        Source.OTHER_NATIONAL,
    }
)


class Kind(models.TextChoices):
    CAPITAL = "capital", "Capital"
    REVENUE = "revenue", "Revenue"


def _money(verbose_name):
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2)


class FundingYear(models.Model):
    """One organisation's spending in one financial year, in pounds."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="funding_years"
    )
    year = models.PositiveSmallIntegerField(
        help_text="The financial year it starts in, e.g. 2025 for 2025/26."
    )
    total_expenditure = _money("total expenditure (£)")
    it_revenue_spend = _money("IT revenue spend (£)")
    it_capital_spend = _money("IT capital spend (£)")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="one_funding_year_per_organisation"
            ),
            models.CheckConstraint(
                condition=Q(total_expenditure__gt=0)
                & Q(it_revenue_spend__gte=0)
                & Q(it_capital_spend__gte=0),
                name="funding_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(total_expenditure__gte=F("it_revenue_spend") + F("it_capital_spend")),
                name="it_spend_within_total_expenditure",
            ),
        ]

    def __str__(self):
        return f"{self.organisation.ods_code} {financial_year(self.year)}"

    @property
    def it_spend(self):
        return self.it_revenue_spend + self.it_capital_spend


class FundingLine(models.Model):
    """Money from one source towards IT, as capital or revenue; optionally for
    the gap it is meant to close (a measure and some of its domains)."""

    funding_year = models.ForeignKey(FundingYear, on_delete=models.CASCADE, related_name="lines")
    source = models.CharField(max_length=30, choices=Source.choices)
    kind = models.CharField("capital or revenue", max_length=10, choices=Kind.choices)
    amount = _money("amount (£)")
    description = models.CharField(max_length=300, blank=True)
    measure = models.SlugField(
        max_length=60, blank=True, help_text="The success measure whose gap it is meant to close."
    )
    domains = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["funding_year", "source", "kind", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="funding_line_above_zero"),
            models.CheckConstraint(
                condition=Q(kind__in=["capital", "revenue"]), name="funding_line_kind_is_known"
            ),
        ]

    def __str__(self):
        return f"{self.funding_year}: {self.get_source_display()} {self.kind} £{self.amount}"


def financial_year(start):
    """2025 → "2025/26"."""
    return f"{start}/{(start + 1) % 100:02d}"
