from django.urls import path

from madad.cases.views import actions, cases, day, teams

app_name = "cases"
urlpatterns = [
    path("", cases.case_list_view, name="list"),
    path("my-day/", day.my_day_view, name="my_day"),
    path("teams/", teams.team_list_view, name="teams"),
    path("teams/<int:team_id>/members/", teams.team_members_view, name="team_members"),
    path("open/<int:household_id>/", cases.case_open_view, name="open"),
    path("<int:case_id>/", cases.case_detail_view, name="detail"),
    path("<int:case_id>/edit/", cases.case_edit_view, name="edit"),
    path("<int:case_id>/status/", actions.transition_view, name="transition"),
    path("<int:case_id>/approvals/", actions.approval_request_view, name="approval_request"),
    path(
        "<int:case_id>/approvals/<int:approval_id>/decision/",
        actions.approval_decide_view,
        name="approval_decide",
    ),
    path(
        "<int:case_id>/approvals/<int:approval_id>/withdraw/",
        actions.approval_withdraw_view,
        name="approval_withdraw",
    ),
    path("<int:case_id>/reopen/", actions.reopen_view, name="reopen"),
    path("<int:case_id>/assign/", actions.assign_view, name="assign"),
    path("<int:case_id>/notes/", actions.note_add_view, name="note_add"),
    path("<int:case_id>/tasks/", actions.task_add_view, name="task_add"),
    path("<int:case_id>/tasks/<int:task_id>/done/", actions.task_done_view, name="task_done"),
    path("<int:case_id>/assessments/new/", actions.assessment_view, name="assessment"),
]
