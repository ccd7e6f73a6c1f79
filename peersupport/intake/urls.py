from django.urls import path

from peersupport.intake import views

app_name = "requests"
urlpatterns = [
    path("refer/", views.refer, name="refer"),
    path("manager/", views.refer_as_manager, name="manager"),
    path("proactive/", views.proactive, name="proactive"),
    path("received/", views.received, name="received"),
    path("ask/", views.ask_for_support, name="ask"),
    path("asked/", views.asked, name="asked"),
]
