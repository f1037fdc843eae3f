from django.urls import path

from madad.backup import views

app_name = "backup"
urlpatterns = [
    path("", views.backup_status, name="status"),
    path("<slug:kind>/", views.backup_request, name="request"),
]
