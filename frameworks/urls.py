from django.urls import path

from frameworks import views

app_name = "frameworks"
urlpatterns = [
    path("", views.index, name="index"),
    path("versions/", views.versions, name="versions"),
    path("<slug:slug>/compare/", views.compare, name="compare"),
    path("<slug:slug>/<str:version>/", views.version, name="version"),
    path("<slug:slug>/<str:version>/measures/<slug:measure>/", views.measure, name="measure"),
    path("<slug:slug>/<str:version>/domains/<slug:domain>/", views.domain, name="domain"),
]
