from django.urls import path

from peersupport.supporters import directory_views as views

app_name = "directory"
urlpatterns = [
    path("", views.directory, name="list"),
    path("embed/", views.embed, name="embed"),
    path("photos/<slug:name>.jpg", views.photo, name="photo"),
]
