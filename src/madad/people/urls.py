from django.urls import path

from madad.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list_view, name="list"),
    path("search/", views.person_search_view, name="search"),
    path("new/", views.person_create_view, name="create"),
    path("<int:person_id>/", views.person_detail, name="detail"),
    path("<int:person_id>/edit/", views.person_edit_view, name="edit"),
]
