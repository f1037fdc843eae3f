from django.urls import path

from madad.incidents.views import actions, export, incidents

app_name = "incidents"
urlpatterns = [
    path("", incidents.incident_list_view, name="list"),
    path("new/", incidents.incident_create_view, name="create"),
    path("rows/<slug:kind>/", incidents.form_row_view, name="row"),
    path("export.csv", export.incident_export_view, name="export"),
    path("<int:incident_id>/", incidents.incident_detail_view, name="detail"),
    path("<int:incident_id>/edit/", incidents.incident_edit_view, name="edit"),
    path("<int:incident_id>/verification/", actions.verification_view, name="verification"),
    path("<int:incident_id>/perpetrators/", actions.involvement_add_view, name="perpetrator_add"),
    path(
        "<int:incident_id>/sources/<int:source_id>/grade/",
        actions.source_grade_view,
        name="source_grade",
    ),
    path("<int:incident_id>/relations/", actions.relate_view, name="relate"),
]
