"""The coordinators' set-up of field intake, under /intake/setup/: field forms and devices."""

from django.urls import path

from madad.intake import setup_views

app_name = "intake_setup"
urlpatterns = [
    path("", setup_views.index, name="index"),
    path("forms/", setup_views.form_list, name="forms"),
    path("forms/ship/", setup_views.forms_ship, name="forms_ship"),
    path("forms/<int:field_form_id>/", setup_views.form_detail, name="form"),
    path("forms/<int:field_form_id>/state/", setup_views.form_state, name="form_state"),
    path(
        "forms/<int:field_form_id>/versions/<int:form_version_id>/xlsform/",
        setup_views.form_version_xlsform,
        name="form_xlsform",
    ),
    path("devices/", setup_views.device_list, name="devices"),
    path("devices/new/", setup_views.device_new, name="device_new"),
    path("devices/<int:device_id>/", setup_views.device_detail, name="device"),
    path("devices/<int:device_id>/revoke/", setup_views.device_revoke, name="device_revoke"),
]
