from django.shortcuts import redirect, render
from django.urls import reverse

from core.forms import error_summary
from frameworks import queries
from frameworks.forms import CareSettingForm, CompareVersionsForm


def _crumbs(framework_version=None):
    crumbs = [
        {"text": "Home", "href": reverse("home")},
        {"text": "Frameworks", "href": reverse("frameworks:versions")},
    ]
    if framework_version:
        crumbs.append({"text": str(framework_version), "href": _version_url(framework_version)})
    return crumbs


def _version_url(framework_version):
    return reverse(
        "frameworks:version", args=[framework_version.framework.slug, framework_version.version]
    )


def index(request):
    latest = queries.latest_published()
    if latest is None:
        return redirect("frameworks:versions")
    return redirect(_version_url(latest))


def versions(request):
    every = list(queries.all_versions())
    return render(
        request,
        "frameworks/versions.jinja",
        {
            "versions": every,
            "compare_form": CompareVersionsForm(versions=every) if len(every) > 1 else None,
            "breadcrumbs": _crumbs()[:1],
        },
    )


def version(request, slug, version):
    framework_version = queries.version_by(slug, version)
    form = CareSettingForm(request.GET)
    care_setting = form.cleaned_data["care_setting"] if form.is_valid() else ""
    return render(
        request,
        "frameworks/version.jinja",
        {
            "version": framework_version,
            "measures": queries.measures_for(
                request.user, framework_version, care_setting=care_setting
            ),
            "form": form,
            "error_summary": error_summary(form),
            "previous": queries.previous_version(framework_version),
            "breadcrumbs": _crumbs(),
        },
    )


def measure(request, slug, version, measure):
    framework_version = queries.version_by(slug, version)
    the_measure = queries.measure_by(framework_version, measure)
    views = queries.measures_for(request.user, framework_version)
    domains = next(view.domains for view in views if view.measure.id == the_measure.id)
    return render(
        request,
        "frameworks/measure.jinja",
        {
            "version": framework_version,
            "measure": the_measure,
            "domains": domains,
            "breadcrumbs": _crumbs(framework_version),
        },
    )


def domain(request, slug, version, domain):
    framework_version = queries.version_by(slug, version)
    the_domain = queries.domain_by(request.user, framework_version, domain)
    crumbs = _crumbs(framework_version)
    crumbs.append(
        {
            "text": the_domain.measure.name,
            "href": reverse("frameworks:measure", args=[slug, version, the_domain.measure.key]),
        }
    )
    return render(
        request,
        "frameworks/domain.jinja",
        {
            "version": framework_version,
            "domain": the_domain,
            "levels": queries.levels_of(the_domain),
            "rules": queries.rules_touching(the_domain),
            "breadcrumbs": crumbs,
        },
    )


def compare(request, slug):
    old_version, new_version = request.GET.get("from", ""), request.GET.get("to", "")
    old = queries.version_by(slug, old_version)
    new = queries.version_by(slug, new_version)
    return render(
        request,
        "frameworks/compare.jinja",
        {"comparison": queries.compare(old, new), "breadcrumbs": _crumbs()},
    )
