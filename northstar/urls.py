from django.contrib import admin
from django.urls import include, path

from api.api import api
from northstar import views

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("core.urls")),
    path("accounts/", include("accounts.urls")),
    path("frameworks/", include("frameworks.urls")),
    path("organisations/", include("organisations.urls")),
    path("assessments/", include("assessments.urls")),
    path("learning/", include("learning.urls")),
    path("benchmarks/", include("benchmarking.urls")),
    path("scoring/", include("scoring.urls")),
    path("funding/", include("funding.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
