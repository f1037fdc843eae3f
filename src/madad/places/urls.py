from django.urls import path

from madad.places import views

app_name = "places"
urlpatterns = [
    path("", views.place_list_view, name="list"),
    path("autocomplete/", views.place_autocomplete, name="autocomplete"),
    path("<int:place_id>/", views.place_detail, name="detail"),
    path("<int:place_id>/edit/", views.place_edit, name="edit"),
]
