"""Every kind of form field as its NHS.UK component: label for the control,
hint and error tied to it by aria-describedby, the value kept after an error,
and an error summary whose every link leads to the field."""

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import engines

from core.forms import component, error_summary
from core.tests.markup import Page

COLOURS = [("red", "Red"), ("green", "Green"), ("blue", "Blue")]


class EveryField(forms.Form):
    name = forms.CharField(label="Your name", help_text="As on your badge", max_length=40)
    email = forms.EmailField(label="Email address")
    count = forms.IntegerField(label="How many", min_value=1, required=False)
    site = forms.URLField(label="Web address", required=False, assume_scheme="https")
    secret = forms.CharField(label="Password", widget=forms.PasswordInput)
    starts = forms.DateField(label="Starts on", help_text="For example 2027-04-01")
    story = forms.CharField(label="What happened", widget=forms.Textarea, max_length=500)
    colour = forms.ChoiceField(label="Colour", choices=[("", "Choose a colour"), *COLOURS])
    size = forms.ChoiceField(
        label="Size", choices=[("s", "Small"), ("l", "Large")], widget=forms.RadioSelect
    )
    agree = forms.BooleanField(label="I agree", help_text="You must agree")
    extras = forms.MultipleChoiceField(
        label="Extras", choices=COLOURS, widget=forms.CheckboxSelectMultiple, required=False
    )
    upload = forms.FileField(
        label="File",
        help_text="A PDF",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        if self.data.get("story") == "whole form":
            raise forms.ValidationError("The form as a whole is wrong")
        return self.cleaned_data


def render(form, name, options=None):
    template = engines["jinja2"].from_string(
        '{% from "core/fields.jinja" import field %}{{ field(form[name], options) }}'
    )
    return Page(template.render({"form": form, "name": name, "options": options or {}}))


def described_by(element):
    return element.attrs.get("aria-describedby", "").split()


GOOD = {
    "name": "Ada",
    "email": "ada@example.org",
    "count": "3",
    "site": "",
    "secret": "hunter2hunter2",
    "starts": "2027-04-01",
    "story": "It went well",
    "colour": "green",
    "size": "l",
    "agree": "on",
    "extras": ["red", "blue"],
    "version": "4",
}


@pytest.fixture
def empty():
    form = EveryField({"story": ""})
    form.is_valid()
    return form


@pytest.fixture
def filled():
    form = EveryField(GOOD, {"upload": SimpleUploadedFile("a.pdf", b"%PDF")})
    assert form.is_valid(), form.errors
    return form


@pytest.mark.parametrize(
    ("name", "input_type"),
    [
        ("name", "text"),
        ("email", "email"),
        ("count", "number"),
        ("site", "url"),
        ("secret", "password"),
        ("starts", "text"),
    ],
)
def test_an_input_has_its_label_type_and_name(filled, name, input_type):
    page = render(filled, name)
    control = page.by_id(f"id_{name}")
    assert (control.tag, control.attrs["type"], control.attrs["name"]) == (
        "input",
        input_type,
        name,
    )
    assert page.label_for(f"id_{name}") == filled[name].label
    assert not control.inside("nhsuk-form-group--error")


def test_an_input_keeps_the_value_typed_but_never_a_password(filled):
    assert render(filled, "name").by_id("id_name").attrs["value"] == "Ada"
    assert render(filled, "starts").by_id("id_starts").attrs["value"] == "2027-04-01"
    assert "value" not in render(filled, "secret").by_id("id_secret").attrs


def test_an_input_carries_the_attributes_the_field_asks_for(filled):
    name = render(filled, "name").by_id("id_name")
    assert (name.attrs["maxlength"], name.attrs["required"]) == ("40", "")
    count = render(filled, "count").by_id("id_count")
    assert (count.attrs["min"], "required" in count.attrs) == ("1", False)
    email = render(filled, "email").by_id("id_email")
    assert (email.attrs["autocomplete"], email.attrs["spellcheck"]) == ("email", "false")


def test_presentation_options_are_merged_over_the_field(filled):
    page = render(filled, "name", {"width": 10, "label": {"size": "s"}})
    assert "nhsuk-input--width-10" in page.by_id("id_name").classes
    label = page.find("label", **{"for": "id_name"})[0]
    assert "nhsuk-label--s" in label.classes and "Your name" in label.text


def test_the_hint_is_the_help_text_and_describes_the_control(filled):
    page = render(filled, "name")
    assert page.by_id("id_name-hint").text.strip() == "As on your badge"
    assert described_by(page.by_id("id_name")) == ["id_name-hint"]


@pytest.mark.parametrize(
    ("name", "control_id", "message"),
    [
        ("name", "id_name", "This field is required."),
        ("email", "id_email", "This field is required."),
        ("starts", "id_starts", "This field is required."),
        ("story", "id_story", "This field is required."),
        ("colour", "id_colour", "This field is required."),
        ("size", "id_size", "This field is required."),
        ("agree", "id_agree", "This field is required."),
        ("upload", "id_upload", "This field is required."),
    ],
)
def test_an_error_is_shown_at_the_field_and_describes_it(empty, name, control_id, message):
    page = render(empty, name)
    error = page.by_id(f"{control_id}-error")
    assert message in error.text and "Error:" in error.text
    assert error.inside("nhsuk-form-group--error")
    described = described_by(page.by_id(control_id))
    for fieldset in page.find("fieldset"):
        described += described_by(fieldset)
    assert f"{control_id}-error" in described


def test_a_textarea_keeps_what_was_typed(filled):
    page = render(filled, "story", {"rows": 3})
    story = page.by_id("id_story")
    assert (story.tag, story.text, story.attrs["rows"], story.attrs["maxlength"]) == (
        "textarea",
        "It went well",
        "3",
        "500",
    )
    assert page.label_for("id_story") == "What happened"


def test_a_select_lists_the_choices_with_the_chosen_one_selected(filled):
    page = render(filled, "colour")
    assert page.by_id("id_colour").tag == "select"
    assert page.label_for("id_colour") == "Colour"
    options = [(o.attrs["value"], o.text, "selected" in o.attrs) for o in page.find("option")]
    assert options == [
        ("", "Choose a colour", False),
        ("red", "Red", False),
        ("green", "Green", True),
        ("blue", "Blue", False),
    ]


def test_radios_sit_in_a_fieldset_named_by_the_label_with_the_first_radio_linkable(filled):
    page = render(filled, "size", {"item_hints": {"s": "Fits most"}})
    radios = page.find("input", type="radio")
    assert [(r.attrs["id"], r.attrs["value"], "checked" in r.attrs) for r in radios] == [
        ("id_size", "s", False),
        ("id_size-2", "l", True),
    ]
    assert page.find("legend")[0].text.strip() == "Size"
    assert page.label_for("id_size") == "Small"
    assert page.by_id("id_size-item-hint").text.strip() == "Fits most"


def test_one_checkbox_is_labelled_by_the_field_with_its_hint(filled):
    page = render(filled, "agree")
    box = page.by_id("id_agree")
    assert (box.attrs["type"], box.attrs["value"], "checked" in box.attrs) == (
        "checkbox",
        "on",
        True,
    )
    assert page.label_for("id_agree") == "I agree"
    assert page.by_id("id_agree-item-hint").text.strip() == "You must agree"
    assert not page.find("fieldset")


def test_checkboxes_tick_every_chosen_value(filled):
    page = render(filled, "extras")
    boxes = page.find("input", type="checkbox")
    assert [(b.attrs["id"], "checked" in b.attrs) for b in boxes] == [
        ("id_extras", True),
        ("id_extras-2", False),
        ("id_extras-3", True),
    ]
    assert page.find("legend")[0].text.strip() == "Extras"


def test_a_file_upload_has_its_label_hint_and_accepted_types(empty):
    page = render(empty, "upload")
    upload = page.by_id("id_upload")
    assert (upload.attrs["type"], upload.attrs["accept"]) == ("file", ".pdf")
    assert "nhsuk-file-upload__input" in upload.classes
    # The plain input: the script-built drop zone would move the id to a button.
    assert not [e for e in page.elements if "data-module" in e.attrs]
    assert page.label_for("id_upload") == "File"
    assert described_by(upload) == ["id_upload-hint", "id_upload-error"]


def test_a_hidden_field_carries_its_value_only(filled):
    page = render(filled, "version")
    (hidden,) = page.elements
    assert (hidden.tag, hidden.attrs) == (
        "input",
        {"type": "hidden", "name": "version", "value": "4"},
    )


def test_a_multiple_select_is_refused_naming_the_field():
    class Several(forms.Form):
        colours = forms.MultipleChoiceField(choices=COLOURS)

    with pytest.raises(TypeError, match="SelectMultiple .colours."):
        component(Several()["colours"])


def test_the_error_summary_links_every_error_to_its_control(empty):
    every = "".join(
        engines["jinja2"]
        .from_string('{% from "core/fields.jinja" import field %}{{ field(f) }}')
        .render({"f": bound})
        for bound in empty
    )
    page = Page(every)
    summary = error_summary(empty)
    assert [link["href"] for link in summary] == [
        "#id_name",
        "#id_email",
        "#id_secret",
        "#id_starts",
        "#id_story",
        "#id_colour",
        "#id_size",
        "#id_agree",
        "#id_upload",
        "#id_name",
    ]
    # The hidden field's error cannot be shown at it, so it leads to the first field.
    assert summary[-1] == {"text": "This field is required.", "href": "#id_name"}
    for link in summary:
        target = page.by_id(link["href"][1:])
        assert target.tag in ("input", "select", "textarea")


def test_an_error_about_the_whole_form_links_to_its_first_field():
    form = EveryField({**GOOD, "story": "whole form"})
    assert not form.is_valid()
    assert error_summary(form)[-1] == {"text": "The form as a whole is wrong", "href": "#id_name"}


def test_a_form_without_errors_has_no_summary(filled):
    assert error_summary(filled) is None
