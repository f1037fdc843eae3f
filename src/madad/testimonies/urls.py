from django.urls import path

from madad.testimonies import views

app_name = "testimonies"
urlpatterns = [
    path("person/<int:person_id>/", views.person_testimonies, name="person"),
    path("person/<int:person_id>/new/", views.testimony_record, name="record"),
    path("person/<int:person_id>/consent/", views.person_consent, name="person_consent"),
    path("incident/<int:incident_id>/", views.incident_testimonies, name="incident"),
    path("<int:testimony_id>/", views.testimony_detail, name="detail"),
    path("<int:testimony_id>/consent/", views.testimony_consent, name="testimony_consent"),
]
