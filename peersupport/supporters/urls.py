from django.urls import path

from peersupport.supporters import training_views, views

app_name = "supporters"
urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/absences/", views.add_absence, name="add_absence"),
    path("profile/photo/", views.upload_photo, name="photo"),
    path("intervision/", training_views.meetings, name="meetings"),
    path("intervision/<int:meeting_id>/", training_views.meeting, name="meeting"),
    path("<int:supporter_id>/training/", training_views.training, name="training"),
    path(
        "<int:supporter_id>/training/refreshers/",
        training_views.add_refresher,
        name="add_refresher",
    ),
    path("<int:supporter_id>/absences/", training_views.absences, name="absences"),
    path(
        "<int:supporter_id>/absences/<int:absence_id>/end/",
        training_views.end_absence,
        name="end_absence",
    ),
    path("profile/photo/remove/", views.remove_photo, name="remove_photo"),
    path("profile/absences/<int:absence_id>/remove/", views.remove_absence, name="remove_absence"),
]
