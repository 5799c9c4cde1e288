from django.urls import path

from learning import views

app_name = "learning"
urlpatterns = [
    path("", views.index, name="index"),
    path("export/", views.export, name="export"),
    path("new/", views.new, name="new"),
    path("mine/", views.mine, name="mine"),
    path("journeys-like-yours/", views.journeys, name="journeys"),
    path("following/", views.following, name="following"),
    path("follow/", views.follow, name="follow"),
    path("unfollow/", views.unfollow, name="unfollow"),
    path("notifications/", views.notifications, name="notifications"),
    path("moderation/", views.moderation, name="moderation"),
    path("moderation/entries/<str:entry>/", views.review_entry, name="review_entry"),
    path(
        "moderation/perspectives/<int:perspective_id>/",
        views.review_perspective,
        name="review_perspective",
    ),
    path("topics/<slug:topic>/", views.topic, name="topic"),
    path("measures/<str:measure>/", views.measure, name="measure"),
    path("entries/<str:entry>/", views.entry, name="entry"),
    path("entries/<str:entry>/edit/", views.edit, name="edit"),
    path("entries/<str:entry>/publish/", views.publish, name="publish"),
    path("entries/<str:entry>/history/", views.history, name="history"),
    path("entries/<str:entry>/compare/", views.compare, name="compare"),
    path("entries/<str:entry>/updates/new/", views.new_update, name="new_update"),
    path("entries/<str:entry>/perspectives/new/", views.new_perspective, name="new_perspective"),
    path("entries/<str:entry>/attachments/", views.manage_attachments, name="attachments"),
    path(
        "entries/<str:entry>/attachments/<int:number>/",
        views.attachment,
        name="attachment",
    ),
    path(
        "entries/<str:entry>/attachments/<int:number>/remove/",
        views.remove_attachment,
        name="remove_attachment",
    ),
]
