from django.urls import path

from madad.households import views

app_name = "households"
urlpatterns = [
    path("", views.household_list_view, name="list"),
    path("new/", views.household_create_view, name="create"),
    path("<int:household_id>/", views.household_detail_view, name="detail"),
    path("<int:household_id>/edit/", views.household_edit_view, name="edit"),
    path("<int:household_id>/members/", views.member_add_view, name="member_add"),
    path(
        "<int:household_id>/members/<int:member_id>/",
        views.member_update_view,
        name="member_update",
    ),
    path(
        "<int:household_id>/members/<int:member_id>/remove/",
        views.member_remove_view,
        name="member_remove",
    ),
]
