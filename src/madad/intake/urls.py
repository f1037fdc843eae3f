"""The intake inbox (staff). The OpenRosa endpoints for field devices are mounted under
/intake/d/ from their own URL module."""

from django.urls import path

from madad.intake import views

app_name = "intake"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:item_id>/", views.item_detail, name="item"),
    path("<int:item_id>/incident/", views.item_incident, name="incident"),
    path("<int:item_id>/attach/", views.item_attach, name="attach"),
    path("<int:item_id>/household/", views.item_household, name="household"),
    path("<int:item_id>/reject/", views.item_reject, name="reject"),
    path("<int:item_id>/files/<int:attachment_id>/", views.item_file, name="file"),
]
