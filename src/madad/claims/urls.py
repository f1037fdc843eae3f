from django.urls import path

from madad.claims import views

app_name = "claims"
urlpatterns = [
    path("", views.claim_list, name="list"),
    path("case/<int:case_id>/file/", views.claim_file, name="file"),
    path("<int:claim_id>/", views.claim_detail, name="detail"),
    path("<int:claim_id>/status/", views.claim_status, name="status"),
    path("<int:claim_id>/next-action/", views.claim_next_action, name="next_action"),
    path("<int:claim_id>/documents/", views.claim_document_upload, name="upload"),
    path(
        "<int:claim_id>/documents/<int:evidence_id>/",
        views.claim_document_download,
        name="document",
    ),
]
