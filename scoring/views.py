from django.shortcuts import render
from django.urls import reverse

from frameworks import queries as frameworks
from scoring import explanation, queries


def method(request, slug, version):
    framework_version = frameworks.version_by(slug, version)
    version_url = reverse("frameworks:version", args=[slug, version])
    return render(
        request,
        "scoring/method.jinja",
        {
            "version": framework_version,
            "rules": explanation.method_in_words(framework_version.scoring),
            "measures": frameworks.measures_for(request.user, framework_version),
            "example": queries.worked_example(request.user, framework_version),
            "breadcrumbs": [
                {"text": "Home", "href": reverse("home")},
                {"text": str(framework_version), "href": version_url},
            ],
        },
    )
