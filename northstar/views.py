from django.shortcuts import render

from northstar import queries


def home(request):
    return render(request, "northstar/home.jinja", {"home": queries.home_for(request.user)})
