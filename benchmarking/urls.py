from django.urls import path

from benchmarking import views

app_name = "benchmarking"
urlpatterns = [
    path("national/", views.national, name="national"),
    path("ics/<str:ods_code>/", views.ics, name="ics"),
    path("organisations/<str:ods_code>/", views.organisation, name="organisation"),
    path("organisations/<str:ods_code>/<slug:measure>/", views.measure, name="measure"),
]
