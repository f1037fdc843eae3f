from django.urls import path

from madad.linkage import views

app_name = "linkage"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("pairs/<int:pair_id>/", views.pair_detail, name="pair"),
    path("incidents/", views.incident_queue, name="incident_queue"),
    path("incidents/<int:pair_id>/", views.incident_pair_detail, name="incident_pair"),
    path("merges/", views.merge_list, name="merges"),
    path("merges/<int:merge_id>/undo/", views.merge_undo, name="merge_undo"),
    path("runs/", views.run_start, name="run_start"),
    path("runs/<int:run_id>/", views.run_detail, name="run"),
    path("check/person/", views.check_person, name="check_person"),
    path("check/incident/", views.check_incident, name="check_incident"),
]
