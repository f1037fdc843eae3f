from django.urls import path

from madad.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.user_list, name="users"),
    path("new/", views.user_create_view, name="create"),
    path("<int:user_id>/unlock/", views.user_unlock_view, name="unlock"),
    path("<int:user_id>/deactivate/", views.user_deactivate_view, name="deactivate"),
    path("<int:user_id>/reactivate/", views.user_reactivate_view, name="reactivate"),
]
