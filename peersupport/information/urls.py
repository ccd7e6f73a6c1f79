from django.urls import path

from peersupport.information import views

app_name = "information"
urlpatterns = [
    path("", views.page, name="index"),
    path("<slug:slug>/", views.page, name="page"),
]
