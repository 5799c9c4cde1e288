from django.urls import path

from organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.index, name="index"),
    path("ics/<str:ods_code>/", views.ics, name="ics"),
    path("<str:ods_code>/", views.detail, name="detail"),
]
