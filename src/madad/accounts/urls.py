from django.urls import path

from madad.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.user_list, name="users"),
    path("new/", views.user_create_view, name="create"),
    path("<int:user_id>/unlock/", views.user_unlock_view, name="unlock"),
    path("<int:user_id>/deactivate/", views.user_deactivate_view, name="deactivate"),
    path("<int:user_id>/reactivate/", views.user_reactivate_view, name="reactivate"),
    path("<int:user_id>/invitation/", views.user_invitation_renew_view, name="invitation"),
    path("<int:user_id>/role/", views.user_role_view, name="role"),
    path("role-requests/", views.role_request_list, name="role_requests"),
    path(
        "role-requests/<int:request_id>/approve/",
        views.role_request_approve_view,
        name="role_request_approve",
    ),
    path(
        "role-requests/<int:request_id>/refuse/",
        views.role_request_refuse_view,
        name="role_request_refuse",
    ),
]
