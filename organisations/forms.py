from django import forms

from organisations.models import OrganisationType


class OrganisationSearch(forms.Form):
    """The search and filters on the organisations page, sent by GET."""

    q = forms.CharField(
        required=False,
        max_length=100,
        label="Search by name or ODS code",
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    type = forms.ChoiceField(
        required=False,
        label="Type",
        error_messages={"invalid_choice": "Select a type from the list"},
    )
    ics = forms.ChoiceField(
        required=False,
        label="Integrated care system (ICS)",
        error_messages={"invalid_choice": "Select an ICS from the list"},
    )
    region = forms.ChoiceField(
        required=False,
        label="Region",
        error_messages={"invalid_choice": "Select a region from the list"},
    )
    include_closed = forms.BooleanField(required=False, label="Include closed organisations")

    def __init__(self, data, *, icss, regions):
        super().__init__(data)
        self.fields["type"].choices = [("", "Any type"), *OrganisationType.choices]
        self.fields["ics"].choices = [
            ("", "Any ICS"),
            *((ics.ods_code, f"{ics.name}{' (closed)' if ics.closed_on else ''}") for ics in icss),
        ]
        self.fields["region"].choices = [("", "Any region"), *((r, r) for r in regions)]

    def filters(self):
        """The filters that are valid, named as ``queries.organisations`` takes them."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "q": data.get("q", ""),
            "org_type": data.get("type", ""),
            "ics": data.get("ics", ""),
            "region": data.get("region", ""),
            "include_closed": data.get("include_closed", False),
        }


class MembersOnForm(forms.Form):
    """The date an ICS page shows the members on, sent by GET."""

    on = forms.DateField(
        label="Show the members on another date",
        help_text="For example, 2025-04-01",
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter a date like 2025-04-01"},
    )
