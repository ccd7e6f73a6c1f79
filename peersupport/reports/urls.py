from django.urls import path

from peersupport.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.latest, name="latest"),
    path("<int:year>/", views.annual, name="annual"),
    path("<int:year>.pdf", views.annual_pdf, name="pdf"),
    path("<int:year>.csv", views.annual_csv, name="csv"),
    path("<int:year>/publish/", views.publish_year, name="publish"),
]
