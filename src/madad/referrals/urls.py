from django.urls import path

from madad.referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.referral_list, name="list"),
    path("case/<int:case_id>/send/", views.referral_send, name="send"),
    path("<int:referral_id>/", views.referral_detail, name="detail"),
    path("<int:referral_id>/respond/", views.referral_respond, name="respond"),
    path("<int:referral_id>/withdraw/", views.referral_withdraw, name="withdraw"),
]
