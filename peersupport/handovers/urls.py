from django.urls import path

from peersupport.handovers import views

app_name = "handovers"
urlpatterns = [
    path("", views.hand_over_list, name="list"),
    path("<int:hand_over_id>/", views.hand_over_detail, name="detail"),
]
