"""The Jinja2 environment for every page: NHS.UK frontend macros, ``url`` and
``static`` globals, and the presenters' filters.

Django's Jinja2 backend already puts ``request``, ``csrf_input`` and
``csrf_token`` in every page's context."""

import jinja2
from django.contrib import messages
from django.templatetags.static import static
from django.urls import reverse

from accounts.policy import Permission, has_permission
from benchmarking.queries import figures_updating_since
from core import presenters
from core.forms import component
from northstar.navigation import navigation
from organisations.presenters import care_settings


def url(name, *args, **kwargs):
    return reverse(name, args=args or None, kwargs=kwargs or None)


def environment(**options):
    options["undefined"] = jinja2.ChainableUndefined
    options["loader"] = jinja2.ChoiceLoader(
        [options["loader"], jinja2.PackageLoader("nhsuk_frontend_jinja", "templates")]
    )
    options.setdefault("extensions", []).append("jinja2.ext.do")
    options.pop("autoescape", None)
    env = jinja2.Environment(autoescape=True, **options)
    env.globals.update(
        url=url,
        static=static,
        get_messages=messages.get_messages,
        navigation=navigation,
        figures_updating_since=figures_updating_since,
        form_component=component,
        has_permission=has_permission,
        Permission=Permission,
    )
    env.filters.update(presenters.FILTERS, care_settings=care_settings)
    return env
