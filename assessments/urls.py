from django.urls import path

from assessments import views

app_name = "assessments"

ASSESSMENT = "<str:round>/<str:ods_code>/<str:care_setting>/"

urlpatterns = [
    path("", views.index, name="index"),
    path("rounds/new/", views.open_round, name="open_round"),
    path("<str:round>/", views.round_page, name="round"),
    path("<str:round>/close/", views.close_round, name="close_round"),
    path("<str:round>/download/", views.round_download, name="round_download"),
    path("<str:round>/<str:ods_code>/evidence/", views.evidence, name="evidence"),
    path(
        "<str:round>/<str:ods_code>/evidence/<int:number>/",
        views.evidence_item,
        name="evidence_item",
    ),
    path(ASSESSMENT, views.assessment, name="assessment"),
    path(ASSESSMENT + "step/", views.take_step, name="step"),
    path(ASSESSMENT + "download/", views.download, name="download"),
    path(ASSESSMENT + "measures/<str:measure>/", views.measure, name="measure"),
    path(ASSESSMENT + "domains/<str:domain>/", views.domain, name="domain"),
    path(ASSESSMENT + "domains/<str:domain>/autosave/", views.autosave, name="autosave"),
    path(ASSESSMENT + "domains/<str:domain>/history/", views.history, name="history"),
]
