from django.urls import path

from madad.fund.views import books, donations, ledger, overview, payments

app_name = "fund"
urlpatterns = [
    path("", overview.overview, name="overview"),
    path("donations/", donations.donation_list, name="donations"),
    path("donations/new/", donations.donation_create, name="donation_create"),
    path("donations/<int:donation_id>/", donations.donation_detail, name="donation"),
    path(
        "donations/<int:donation_id>/receipt/<str:language>/",
        donations.donation_receipt,
        name="receipt",
    ),
    path("donors/", donations.donor_list, name="donors"),
    path("donors/new/", donations.donor_create, name="donor_create"),
    path("donors/<int:donor_id>/", donations.donor_detail, name="donor"),
    path("donors/<int:donor_id>/naming/", donations.donor_naming, name="donor_naming"),
    path("rates/", books.rates, name="rates"),
    path("conversions/", books.conversions, name="conversions"),
    path("setup/", books.setup, name="setup"),
    path("setup/earmarks/", books.earmark_create, name="earmark_create"),
    path("setup/accounts/", books.account_open, name="account_open"),
    path("disbursements/", payments.disbursement_list, name="disbursements"),
    path("disbursements/pay/<int:assistance_id>/", payments.disburse, name="disburse"),
    path("ledger/", ledger.entry_list, name="entries"),
    path("ledger/<int:entry_id>/", ledger.entry_detail, name="entry"),
    path("ledger/<int:entry_id>/reverse/", ledger.entry_reverse, name="entry_reverse"),
    path("reports/", overview.report_list, name="reports"),
    path("reports/<slug:name>/", overview.report_view, name="report"),
    path("reports/<slug:name>.csv", overview.report_csv, name="report_csv"),
]
