"""Forms for recording funding. They read what was typed; the services decide
whether it is acceptable, in the same words as the import and the API."""

from django import forms

from funding.models import Kind, Source
from funding.models import financial_year as year_name
from funding.presenters import year_slug
from funding.services import parse_amount, parse_year


class AmountField(forms.CharField):
    """Pounds, with or without "£" and commas."""

    def clean(self, value):
        value = super().clean(value)
        amount = parse_amount(value)
        if amount is None:
            raise forms.ValidationError(
                f"Enter {self.label.lower()} as an amount in pounds, like 1250000"
            )
        return amount


class YearField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        year = parse_year(value)
        if year is None:
            raise forms.ValidationError("Enter the financial year like 2025/26")
        return year


class YearForm(forms.Form):
    year = YearField(
        label="Financial year",
        help_text="For example, 2025/26",
        error_messages={"required": "Enter the financial year, like 2025/26"},
    )
    total_expenditure = AmountField(
        label="Total expenditure",
        help_text="The organisation's total expenditure for the year, in pounds",
        error_messages={"required": "Enter the total expenditure"},
    )
    it_revenue_spend = AmountField(
        label="IT revenue spend",
        help_text="In pounds: running costs, licences, subscriptions and staff",
        error_messages={"required": "Enter the IT revenue spend, or 0"},
    )
    it_capital_spend = AmountField(
        label="IT capital spend",
        help_text="In pounds: equipment, infrastructure and software bought outright",
        error_messages={"required": "Enter the IT capital spend, or 0"},
    )


class LineForm(forms.Form):
    source = forms.ChoiceField(
        label="Where the money comes from",
        choices=[("", "Choose a source"), *Source.choices],
        error_messages={
            "required": "Select where the money comes from",
            "invalid_choice": "Select where the money comes from",
        },
    )
    funding_type = forms.ChoiceField(
        label="Capital or revenue",
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select capital or revenue",
            "invalid_choice": "Select capital or revenue",
        },
    )
    amount = AmountField(
        label="Amount", help_text="In pounds", error_messages={"required": "Enter the amount"}
    )
    description = forms.CharField(
        label="What it pays for (optional)",
        help_text="Name the programme if it is another national one",
        required=False,
        max_length=300,
    )
    measure = forms.ChoiceField(
        label="The gap it is meant to close (optional)",
        required=False,
        error_messages={"invalid_choice": "Select a success measure from the list"},
    )

    def __init__(self, *args, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = [("", "None"), *measures.items()]


class YearChooserForm(forms.Form):
    """Which financial year a funding page shows, sent by GET."""

    year = forms.ChoiceField(label="Financial year")

    def __init__(self, *, years, chosen):
        super().__init__(initial={"year": year_slug(chosen)} if chosen else None)
        self.fields["year"].choices = [(year_slug(year), year_name(year)) for year in years]
