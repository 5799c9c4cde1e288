"""The choosers on the framework pages, sent by GET."""

from django import forms

from organisations.models import CareSetting


class CareSettingForm(forms.Form):
    care_setting = forms.ChoiceField(
        label="Show domains for a care setting",
        required=False,
        choices=[("", "All care settings"), *CareSetting.choices],
        error_messages={"invalid_choice": "Choose a care setting from the list"},
    )


class CompareVersionsForm(forms.Form):
    """Two versions to compare: by default the one before the newest, and the newest."""

    def __init__(self, *, versions):
        super().__init__(initial={"from": versions[1].version, "to": versions[0].version})
        choices = [(v.version, v.version) for v in versions]
        self.fields["from"] = forms.ChoiceField(label="Earlier version", choices=choices)
        self.fields["to"] = forms.ChoiceField(label="Later version", choices=choices)
