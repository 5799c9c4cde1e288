from django.shortcuts import render


def about(request):
    return render(request, "core/about.jinja")


def accessibility(request):
    return render(request, "core/accessibility.jinja")


def page_not_found(request, exception=None):
    return render(request, "core/error.jinja", {"status": 404}, status=404)


def permission_denied(request, exception=None):
    return render(request, "core/error.jinja", {"status": 403}, status=403)


def bad_request(request, exception=None):
    return render(request, "core/error.jinja", {"status": 400}, status=400)


def server_error(request):
    return render(request, "core/error.jinja", {"status": 500}, status=500)
