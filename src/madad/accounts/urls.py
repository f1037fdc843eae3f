from django.urls import path

from madad.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.user_list, name="users"),
    path("<int:user_id>/unlock/", views.user_unlock_view, name="unlock"),
]
