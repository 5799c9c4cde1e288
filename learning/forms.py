"""Forms for the library's pages. They read what was typed; the services
decide whether it is acceptable, with the same messages for pages and API."""

from django import forms

from learning.models import TEXT_FIELDS, EntryKind, Outcome, PerspectiveRole
from learning.vocabulary import measures
from organisations.models import OrganisationType

TEXT_HINTS = {
    "summary": "A few sentences: what this is about and what happened.",
    "context": "Your starting point: the organisation's situation, why this was needed.",
    "what_went_wrong": "Be candid: this is what others most need to know.",
    "do_differently": "What would you tell someone about to start?",
    "costs_and_timescales": "Roughly what it cost, and how long it took against the plan.",
    "links": "Web addresses starting https://, one a line.",
}


def _multiple(label, what):
    return forms.MultipleChoiceField(
        label=label,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": f"Select {what} from the list"},  # noqa: S608 (words, not SQL)
    )


class EntryForm(forms.Form):
    kind = forms.ChoiceField(
        label="Is this a blueprint or a redprint?",
        choices=EntryKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether this is a blueprint or a redprint",
            "invalid_choice": "Select whether this is a blueprint or a redprint",
        },
    )
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter a title"}
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        required=False,
        choices=[("", "Not known yet"), *Outcome.choices],
        error_messages={"invalid_choice": "Select an outcome from the list"},
    )
    topics = _multiple("Topics", "topics")
    measures = _multiple("Success measures", "success measures")
    org_types = _multiple("Which types of organisation does it apply to?", "organisation types")
    suppliers = forms.CharField(
        label="Suppliers and products named",
        help_text="One a line, for example the EPR supplier.",
        required=False,
        widget=forms.Textarea,
    )
    anonymous = forms.BooleanField(label="Publish this redprint anonymously", required=False)
    show_org_type = forms.BooleanField(
        label="Show the type of my organisation (for example, acute trust)",
        help_text="Leave this unticked unless you are sure: with other details, "
        "a type can narrow down who you are.",
        required=False,
    )

    def __init__(self, *args, topics, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        if len(organisations) > 1:
            self.fields["organisation"] = forms.ChoiceField(
                label="Which organisation are you writing for?",
                choices=[(str(o.pk), o.name) for o in organisations],
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Select the organisation you are writing for",
                    "invalid_choice": "Select the organisation you are writing for",
                },
            )
        for field, label in TEXT_FIELDS.items():
            self.fields[field] = forms.CharField(
                label=label,
                required=False,
                widget=forms.Textarea,
                help_text=TEXT_HINTS.get(field, ""),
            )
        self.fields["topics"].choices = [(t.slug, t.name) for t in topics]
        self.fields["measures"].choices = list(measures().items())
        self.fields["org_types"].choices = [
            (value, label) for value, label in OrganisationType.choices if value != "unknown"
        ]

    def content(self):
        data = dict(self.cleaned_data)
        data.pop("organisation", None)
        data["suppliers"] = [line for line in data["suppliers"].splitlines() if line.strip()]
        return data


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label="Upload a file",
        help_text="A PDF, Word document, Excel spreadsheet, PNG or JPEG, smaller than 20 MB. "
        "Its name and hidden details (like who wrote it) are removed.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.png,.jpg,.jpeg"}),
        error_messages={"required": "Select a file", "empty": "The selected file is empty"},
    )
    title = forms.CharField(label="Describe the file (optional)", required=False, max_length=200)


class UpdateForm(forms.Form):
    title = forms.CharField(
        label="Heading",
        help_text="For example, “Month 3: go-live moved”.",
        max_length=200,
        error_messages={
            "required": "Enter a heading for the update, like “Month 3: go-live moved”"
        },
    )
    body = forms.CharField(
        label="What has happened",
        widget=forms.Textarea,
        error_messages={"required": "Enter what has happened"},
    )


class PerspectiveForm(forms.Form):
    role = forms.ChoiceField(
        label="You are writing as a",
        choices=PerspectiveRole.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether you are a patient or carer leader, clinician or staff",
            "invalid_choice": "Select whether you are a patient or carer leader, clinician or staff",
        },
    )
    body = forms.CharField(
        label="Your perspective",
        widget=forms.Textarea,
        error_messages={"required": "Enter your perspective"},
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label="What do the authors need to change?",
        widget=forms.Textarea,
        error_messages={"required": "Enter what the authors need to change"},
    )


class FollowTopicForm(forms.Form):
    value = forms.ChoiceField(label="Topic")

    def __init__(self, *, topics):
        super().__init__()
        self.fields["value"].choices = [(t.slug, t.name) for t in topics]


class CompareForm(forms.Form):
    """Two revisions of an entry, sent by GET; the first and the last by default."""

    ENDS = {"from": ("From", 0), "to": ("To", -1)}

    def __init__(self, data, *, numbers):
        defaults = {name: numbers[index] for name, (_, index) in self.ENDS.items() if numbers}
        super().__init__(defaults | data.dict())
        for name, (word, _) in self.ENDS.items():
            self.fields[name] = forms.TypedChoiceField(
                label=f"{word} revision",
                choices=[(number, f"Revision {number}") for number in numbers],
                coerce=int,
                error_messages={
                    "required": f"Choose the revision to compare {word.lower()}",
                    "invalid_choice": f"Choose the revision to compare {word.lower()} from the list",
                },
            )


class LibrarySearch(forms.Form):
    """The search and filters on the library page, sent by GET."""

    q = forms.CharField(
        label="Search the library",
        required=False,
        max_length=200,
        error_messages={"max_length": "Search for 200 characters or fewer"},
    )
    kind = forms.ChoiceField(label="Type", required=False)
    topic = forms.ChoiceField(label="Topic", required=False)
    measure = forms.ChoiceField(label="Success measure", required=False)
    outcome = forms.ChoiceField(label="Outcome", required=False)
    org_type = forms.ChoiceField(label="Applies to", required=False)
    supplier = forms.ChoiceField(label="Supplier", required=False)

    def __init__(self, data, *, topics, suppliers):
        super().__init__(data)
        choices = {
            "kind": [("", "Blueprints and redprints"), *EntryKind.choices],
            "topic": [("", "Any topic"), *((t.slug, t.name) for t in topics)],
            "measure": [("", "Any success measure"), *measures().items()],
            "outcome": [("", "Any outcome"), *Outcome.choices],
            "org_type": [("", "Any type of organisation"), *OrganisationType.choices],
            "supplier": [("", "Any supplier"), *((s, s) for s in suppliers)],
        }
        for name, field_choices in choices.items():
            self.fields[name].choices = field_choices
            self.fields[name].error_messages["invalid_choice"] = (
                f"Select a {self.fields[name].label.lower()} from the list"  # noqa: S608 (words)
            )

    def filters(self):
        """The valid filters, named as ``queries.library`` takes them, and the query."""
        self.is_valid()
        data = self.cleaned_data
        filters = {
            name: data.get(name, "")
            for name in ("kind", "topic", "measure", "outcome", "org_type", "supplier")
        }
        return data.get("q", ""), filters
