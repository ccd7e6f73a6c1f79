from django.urls import path

from peersupport.cases import calendar_views, event_views, oncall_views, step_views, views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("pool/", views.pool, name="pool"),
    path("<int:case_id>/", views.case_detail, name="detail"),
    path("<int:case_id>/match/", views.match, name="match"),
    path("<int:case_id>/assign/", views.assign, name="assign"),
    path("<int:case_id>/steps/<slug:action>/", step_views.record_step, name="step"),
    path(
        "<int:case_id>/conversations/<int:number>.ics",
        calendar_views.conversation_ics,
        name="conversation_ics",
    ),
    path("events/<int:event_id>/", event_views.event_detail, name="event"),
    path("events/<int:event_id>/sessions/", event_views.add_group_session, name="group_session"),
    path("on-call/", oncall_views.rota, name="rota"),
    path("on-call/<int:shift_id>/remove/", oncall_views.remove_shift, name="remove_shift"),
]
