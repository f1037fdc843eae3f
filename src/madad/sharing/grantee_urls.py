"""The grantee's read-only area, under /shared/: the grants in force for them, their records,
stamped downloads and requests to meet a family."""

from django.urls import path

from madad.sharing.views import downloads, meetings, shared

app_name = "shared"
urlpatterns = [
    path("", shared.grant_list, name="list"),
    path("<int:grant_id>/", shared.grant_detail, name="grant"),
    path("records/<int:record_id>/", shared.record_detail, name="record"),
    path("records/<int:record_id>/download/", downloads.record_download, name="download"),
    path("records/<int:record_id>/meeting/", meetings.meeting_request, name="meeting_request"),
]
