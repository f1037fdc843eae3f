from django.urls import path

from madad.places import views

app_name = "places"
urlpatterns = [
    path("", views.place_list_view, name="list"),
    path("autocomplete/", views.place_autocomplete, name="autocomplete"),
    path("<int:place_id>/", views.place_detail, name="detail"),
    path("<int:place_id>/edit/", views.place_edit, name="edit"),
    path(
        "changes/<int:change_id>/approve/",
        views.place_change_decide,
        {"decision": "approve"},
        name="change_approve",
    ),
    path(
        "changes/<int:change_id>/reject/",
        views.place_change_decide,
        {"decision": "reject"},
        name="change_reject",
    ),
]
