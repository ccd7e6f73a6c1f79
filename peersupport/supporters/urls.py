from django.urls import path

from peersupport.supporters import views

app_name = "supporters"
urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/absences/", views.add_absence, name="add_absence"),
    path("profile/absences/<int:absence_id>/remove/", views.remove_absence, name="remove_absence"),
]
