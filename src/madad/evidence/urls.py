from django.urls import path

from madad.evidence import views

app_name = "evidence"
urlpatterns = [
    path("incident/<int:incident_id>/", views.incident_evidence, name="incident"),
    path("incident/<int:incident_id>/upload/", views.evidence_upload, name="upload"),
    path("<int:evidence_id>/", views.evidence_detail, name="detail"),
    path("<int:evidence_id>/download/", views.evidence_download, name="download"),
    path("<int:evidence_id>/export/", views.evidence_export, name="export"),
    path("<int:evidence_id>/custody/", views.evidence_custody, name="custody"),
]
