from django.urls import path

from peersupport.mypages import views

app_name = "support"
urlpatterns = [
    path("", views.my_support, name="mine"),
    path("call/", views.call_preference, name="call"),
    path("cases/<int:case_id>/<slug:action>/", views.respond, name="respond"),
    path("data/", views.my_data, name="data"),
    path("log/", views.my_log, name="log"),
    path("data/delete/", views.request_deletion, name="delete"),
    path("data/delete/withdraw/", views.withdraw_deletion, name="withdraw_deletion"),
]
