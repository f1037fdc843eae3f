"""The OpenRosa server for field devices, at /intake/d/<token>/ (the "Server URL" in Collect)."""

from django.urls import path

from madad.intake import openrosa

app_name = "openrosa"
urlpatterns = [
    path("formList", openrosa.form_list, name="form_list"),
    path("forms/<str:form_id>/<str:version>/form.xml", openrosa.form_xml, name="form"),
    path("forms/<str:form_id>/<str:version>/manifest", openrosa.manifest, name="manifest"),
    path("forms/<str:form_id>/<str:version>/media/<str:name>", openrosa.media, name="media"),
    path("submission", openrosa.submission, name="submission"),
]
