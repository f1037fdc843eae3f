from django.urls import path

from madad.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_list, name="list"),
    path("export/", views.audit_export, name="export"),
    path("verify/", views.audit_verify, name="verify"),
    path("verify/status/", views.audit_verify_status, name="verify_status"),
]
