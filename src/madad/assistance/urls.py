from django.urls import path

from madad.assistance import views

app_name = "assistance"
urlpatterns = [
    path("approvals/", views.approvals, name="approvals"),
    path("disbursements/", views.disbursements, name="disbursements"),
    path("limits/", views.limits, name="limits"),
    path("case/<int:case_id>/request/", views.assistance_request, name="request"),
    path("<int:assistance_id>/", views.assistance_detail, name="detail"),
    path("<int:assistance_id>/approve/", views.assistance_approve, name="approve"),
    path("<int:assistance_id>/cancel/", views.assistance_cancel, name="cancel"),
    path("<int:assistance_id>/hand-over/", views.assistance_hand_over, name="hand_over"),
    path(
        "<int:assistance_id>/confirm-receipt/",
        views.assistance_confirm_receipt,
        name="confirm_receipt",
    ),
]
