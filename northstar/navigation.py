"""The header's navigation and account links, by who is signed in."""

from django.urls import reverse

from accounts.policy import Permission, has_permission


def navigation(request):
    user = request.user
    path = request.path
    items = [
        ("Frameworks", reverse("frameworks:index")),
        ("Organisations", reverse("organisations:index")),
    ]
    if user.is_authenticated:
        items += [
            ("Assessments", reverse("assessments:index")),
            ("Benchmarks", reverse("benchmarking:national")),
            ("Learning", reverse("learning:index")),
        ]
    if has_permission(user, Permission.USE_ADMIN):
        items.append(("Admin", reverse("admin:index")))
    nav_items = [
        {"text": text, "href": href, "current": path == href, "active": path.startswith(href)}
        for text, href in items
    ]
    if user.is_authenticated:
        account = [
            {
                "href": reverse("accounts:account"),
                "text": user.full_name or user.email,
                "icon": True,
            },
            {"href": reverse("accounts:logout"), "text": "Sign out"},
        ]
    else:
        account = [{"href": reverse("accounts:login"), "text": "Sign in", "icon": True}]
    return {"links": nav_items, "account": account}
