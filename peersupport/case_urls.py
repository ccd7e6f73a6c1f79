"""The "cases" namespace (/cases/…): the case core's pages (the list, one case, the
supporter's steps, calendar files) and the coordinator's workspace (dashboard, pool,
matching and assignment, events, the on-call rota). One URL module, because Django
cannot merge two into one namespace; it sits on top, so neither app imports the other
for its addresses."""

from django.urls import path

from peersupport.cases import calendar_views, step_views
from peersupport.cases import views as case_views
from peersupport.workspace import event_views, oncall_views
from peersupport.workspace import views as workspace_views

app_name = "cases"
urlpatterns = [
    path("", case_views.case_list, name="list"),
    path("dashboard/", workspace_views.dashboard, name="dashboard"),
    path("pool/", workspace_views.pool, name="pool"),
    path("<int:case_id>/", case_views.case_detail, name="detail"),
    path("<int:case_id>/match/", workspace_views.match, name="match"),
    path("<int:case_id>/assign/", workspace_views.assign, name="assign"),
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
