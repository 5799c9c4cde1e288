from django.urls import path

from funding import views

app_name = "funding"
urlpatterns = [
    path("ics/<str:ods_code>/", views.ics, name="ics"),
    path("<str:ods_code>/", views.organisation, name="organisation"),
    path("<str:ods_code>/record/", views.record, name="record"),
    path("<str:ods_code>/lines/add/", views.add_line, name="add_line"),
    path("<str:ods_code>/lines/remove/", views.remove_line, name="remove_line"),
]
