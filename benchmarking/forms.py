"""The choosers on the benchmark pages, sent by GET. The views resolve what
was asked for (or the defaults); these forms show that choice."""

from django import forms


class ChooserForm(forms.Form):
    round = forms.ChoiceField(label="Round")
    care_setting = forms.ChoiceField(label="Care setting")
    group = forms.ChoiceField(label="Compare with", widget=forms.RadioSelect)
