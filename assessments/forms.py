"""The forms people fill in: an answer, evidence, a workflow step, a round."""

from django import forms

from accounts.policy import Step
from assessments.evidence import MAX_FILE_SIZE
from assessments.models import Round
from organisations.models import OrganisationType


class ElementsField(forms.MultipleChoiceField):
    """The element keys ticked. Whether each is an element of the domain is
    the writer's check (``workflow.check_value``), so that a page, the API and
    an import refuse an unknown one in the same words."""

    def valid_value(self, value):
        return True


class AnswerForm(forms.Form):
    """One domain's answer. ``version`` is the version the page was based on."""

    elements = ElementsField(required=False, label="Elements met")
    not_applicable = forms.BooleanField(required=False, label="This domain does not apply to us")
    not_applicable_reason = forms.CharField(
        required=False,
        max_length=2000,
        label="If it does not apply, say why",
        widget=forms.Textarea,
    )
    comment = forms.CharField(
        required=False,
        max_length=5000,
        label="Comment (optional)",
        widget=forms.Textarea,
        error_messages={"max_length": "Comment must be 5,000 characters or fewer"},
    )
    evidence = forms.MultipleChoiceField(
        required=False,
        label="Evidence for this answer",
        help_text="Evidence is shared by all your organisation's assessments in this round.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose evidence from the list"},
    )
    version = forms.IntegerField(
        min_value=0,
        widget=forms.HiddenInput,
        error_messages={
            "required": "The page was missing the answer's version: reload it and try again",
            "invalid": "The answer's version must be a whole number: reload the page and try again",
            "min_value": "The answer's version must be 0 or more: reload the page and try again",
        },
    )

    def __init__(self, data=None, *, evidence, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["evidence"].choices = [(str(e.id), f"{e.number}. {e.title}") for e in evidence]


class StepForm(forms.Form):
    step = forms.ChoiceField(
        choices=[(s, s) for s in Step if s != Step.ANSWER],
        error_messages={"invalid_choice": "Choose a step from the page"},
    )
    comment = forms.CharField(
        required=False,
        max_length=5000,
        label="Reason, if you send it back to draft",
        help_text="The people who answered will see it.",
        widget=forms.Textarea,
    )


class AsItStoodForm(forms.Form):
    at = forms.DateTimeField(
        label="Date and time",
        help_text="For example 2026-11-23T14:30",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": "Enter a date and time like 2026-11-23T14:30"},
    )


class EvidenceForm(forms.Form):
    title = forms.CharField(
        max_length=200,
        label="Title",
        error_messages={
            "required": "Enter a title for the evidence",
            "max_length": "Title must be 200 characters or fewer",
        },
    )
    note = forms.CharField(
        required=False,
        max_length=20000,
        label="Note",
        help_text="You can use Markdown: *emphasis*, lists and links.",
        widget=forms.Textarea,
    )
    url = forms.CharField(required=False, max_length=2000, label="Link", widget=forms.URLInput)
    upload = forms.FileField(
        required=False,
        label="File",
        help_text=f"PDF, DOCX, XLSX, PNG or JPEG, up to {MAX_FILE_SIZE // 1024 // 1024} MB",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.png,.jpg,.jpeg"}),
    )


class DownloadForm(forms.Form):
    format = forms.ChoiceField(
        choices=[("csv", "CSV"), ("xlsx", "XLSX")],
        error_messages={"invalid_choice": "Choose CSV or XLSX"},
    )


class OpenRoundForm(forms.Form):
    name = forms.RegexField(
        regex=r"^\d{4}/\d{2}$",
        label="Name",
        help_text="The years it covers, for example 2027/28",
        error_messages={
            "required": "Enter the round's name, for example 2027/28",
            "invalid": "Enter the round's name as two years, for example 2027/28",
        },
    )
    framework_version = forms.ModelChoiceField(
        queryset=None,
        label="Framework version",
        empty_label=None,
        error_messages={"invalid_choice": "Choose a published framework version"},
    )
    opens_on = forms.DateField(
        label="Opens on",
        help_text="For example 2027-04-01",
        error_messages={
            "required": "Enter the date the round opens",
            "invalid": "Enter the date the round opens like 2027-04-01",
        },
    )
    closes_on = forms.DateField(
        label="Closes on",
        help_text="For example 2027-06-30",
        error_messages={
            "required": "Enter the date the round closes",
            "invalid": "Enter the date the round closes like 2027-06-30",
        },
    )
    organisation_types = forms.MultipleChoiceField(
        label="Organisation types taking part",
        choices=[
            (t.value, t.label) for t in OrganisationType if t not in (OrganisationType.UNKNOWN,)
        ],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one organisation type"},
    )
    previous = forms.ModelChoiceField(
        queryset=Round.objects.filter(kind=Round.Kind.ASSESSED),
        required=False,
        label="Carry answers forward from",
        empty_label="No previous round",
    )

    def __init__(self, data=None, *, versions, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["framework_version"].queryset = versions
