"""Django form fields as NHS.UK frontend components.

``component(bound_field)`` chooses the nhsuk-frontend-jinja macro for the
field's widget and fills in its parameters: id, name, label, hint (the field's
help text), the first error, the value kept after an error, the choices and
the attributes the widget asks for (``required``, ``maxlength``,
``autocomplete``...). ``core/fields.jinja`` renders it, so every form on every
page shows a field, its hint and its error the same way, and
``error_summary(form)`` links each error to the element that
``component`` gave that id."""

from django import forms

# Parameters the NHS.UK macros take by name rather than as plain attributes.
_NAMED_ATTRIBUTES = ("autocomplete", "autocapitalize", "inputmode", "pattern", "placeholder")
# Widget attributes the components set themselves (Django's aria-describedby
# names ids the components do not use), or that the NHS.UK service manual
# advises against (autofocus moves people past the page's heading).
_DROPPED_ATTRIBUTES = {"id", "class", "rows", "cols", "spellcheck", "aria-describedby", "autofocus"}
# Never spell-check what is not prose.
_NO_SPELLCHECK = {"email", "url", "password", "number", "date", "datetime-local", "tel"}


def component(bound_field, **options):
    """``(macro name, parameters)`` for one bound field. ``options`` are
    parameters of the macro that are about presentation (``width``, ``rows``,
    ``inline``, ``label={"size": "s"}``...) merged over the ones derived
    from the field; ``item_hints`` gives a hint to each choice by value."""
    widget = bound_field.field.widget
    item_hints = options.pop("item_hints", {})
    if isinstance(widget, forms.HiddenInput):
        return "hidden", {"name": bound_field.html_name, "value": _text(bound_field.value())}
    params = {"name": bound_field.html_name, "errorMessage": _error(bound_field)}
    if isinstance(widget, forms.CheckboxInput):
        name, specific = "checkboxes", _single_checkbox(bound_field)
    elif isinstance(widget, forms.CheckboxSelectMultiple):
        name, specific = "checkboxes", _choices(bound_field, item_hints)
    elif isinstance(widget, forms.RadioSelect):
        name, specific = "radios", _choices(bound_field, item_hints)
    elif isinstance(widget, forms.Select) and not widget.allow_multiple_selected:
        name, specific = "select", _select(bound_field)
    elif isinstance(widget, forms.Textarea):
        name, specific = "textarea", _textarea(bound_field)
    elif isinstance(widget, forms.FileInput):
        name, specific = "fileUpload", _labelled(bound_field)
    elif isinstance(widget, forms.widgets.Input):
        name, specific = "input", _input(bound_field)
    else:
        # NHS.UK has no multiple select: choose several with CheckboxSelectMultiple.
        raise TypeError(f"No NHS.UK component for {type(widget).__name__} ({bound_field.name})")
    return name, _merged({**params, **specific}, options)


def error_summary(form, anchors=None):
    """The layout's error summary: every error, each linked to its field's
    element (for radios and tick-boxes, the first one, which the components
    give the field's id). An error about the whole form, or about a hidden
    field, links to the first visible field. ``anchors`` names other elements
    by field, for a field a page shows in its own way."""
    anchors = anchors or {}
    visible = form.visible_fields()
    summary = []
    for name, messages in form.errors.items():
        field = form[name] if name in form.fields else None
        if field is None or field.is_hidden:
            field = visible[0]
        target = anchors.get(field.name) or field.auto_id
        summary += [{"text": message, "href": f"#{target}"} for message in messages]
    return summary or None


def _text(value):
    return "" if value is None else str(value)


def _error(bound_field):
    return {"text": bound_field.errors[0]} if bound_field.errors else None


def _hint(text):
    if not text:
        return None
    return {"html": text} if hasattr(text, "__html__") else {"text": text}


def _labelled(bound_field):
    """Label, hint and attributes, for components with one control."""
    attributes = bound_field.build_widget_attrs(dict(bound_field.field.widget.attrs))
    params = {
        "id": bound_field.auto_id,
        "label": {"text": bound_field.label},
        "hint": _hint(bound_field.help_text),
    }
    params.update({key: attributes.pop(key) for key in _NAMED_ATTRIBUTES if key in attributes})
    params["attributes"] = {
        key: _attribute(value)
        for key, value in attributes.items()
        if key not in _DROPPED_ATTRIBUTES and value is not False
    }
    return params


def _attribute(value):
    # The macros write a boolean attribute (``required``) bare only when told it is optional.
    return {"value": True, "optional": True} if value is True else value


def _input(bound_field):
    widget = bound_field.field.widget
    params = _labelled(bound_field) | {"type": widget.input_type}
    if widget.input_type in _NO_SPELLCHECK or widget.attrs.get("spellcheck") in (False, "false"):
        params["spellcheck"] = False
    if widget.input_type == "email":
        params.setdefault("autocomplete", "email")
    # A password is never sent back to the page.
    if not isinstance(widget, forms.PasswordInput):
        params["value"] = _text(widget.format_value(bound_field.value()))
    return params


def _textarea(bound_field):
    return _labelled(bound_field) | {"value": _text(bound_field.value()), "rows": 5}


def _select(bound_field):
    return _labelled(bound_field) | {
        "items": [
            {"value": _text(option.data["value"]), "text": option.choice_label}
            | ({"selected": True} if option.data["selected"] else {})
            for option in bound_field.subwidgets
        ]
    }


def _choices(bound_field, item_hints):
    """Radios or tick-boxes in a fieldset whose legend is the field's label."""
    return {
        "idPrefix": bound_field.auto_id,
        "fieldset": {"legend": {"text": bound_field.label, "size": "s"}},
        "hint": _hint(bound_field.help_text),
        "items": [
            {
                "value": _text(option.data["value"]),
                "text": option.choice_label,
                "checked": option.data["selected"],
                "hint": _hint(item_hints.get(_text(option.data["value"]))),
            }
            for option in bound_field.subwidgets
        ],
    }


def _single_checkbox(bound_field):
    """One tick-box: its label is the field's, its hint under it."""
    return {
        "idPrefix": bound_field.auto_id,
        "items": [
            {
                "value": "on",
                "text": bound_field.label,
                "checked": bound_field.field.widget.check_test(bound_field.value()),
                "hint": _hint(bound_field.help_text),
            }
        ],
    }


def _merged(params, options):
    merged = dict(params)
    for key, value in options.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merged(merged[key], value)
        else:
            merged[key] = value
    return merged
