from django.urls import path

from madad.core import views

app_name = "core"
urlpatterns = [
    path("", views.audit_list, name="audit"),
    path("export/", views.audit_export, name="audit_export"),
    path("verify/", views.audit_verify, name="audit_verify"),
    path("verify/status/", views.audit_verify_status, name="audit_verify_status"),
]
