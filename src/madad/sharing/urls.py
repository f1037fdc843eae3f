"""The coordinators' grants and the caseworkers' meeting requests, under /sharing/."""

from django.urls import path

from madad.sharing.views import grants, meetings

app_name = "sharing"
urlpatterns = [
    path("", grants.grant_list, name="list"),
    path("new/", grants.grant_new, name="new"),
    path("<int:grant_id>/", grants.grant_detail, name="detail"),
    path("<int:grant_id>/approve/", grants.grant_approve, name="approve"),
    path("<int:grant_id>/refuse/", grants.grant_refuse, name="refuse"),
    path("<int:grant_id>/revoke/", grants.grant_revoke, name="revoke"),
    path("meetings/", meetings.meeting_list, name="meetings"),
    path("meetings/<int:meeting_id>/", meetings.meeting_detail, name="meeting"),
    path("meetings/<int:meeting_id>/answer/", meetings.meeting_answer, name="meeting_answer"),
]
