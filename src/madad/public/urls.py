"""The public site, at /public/. The open-data addresses are stable: do not rename them."""

from django.urls import path

from madad.public.views import data, pages, report, texts

app_name = "public"
urlpatterns = [
    path("", pages.dashboard, name="dashboard"),
    path("map/", pages.map_page, name="map"),
    path("map/points.json", pages.map_points_json, name="map_points"),
    path("incidents/", pages.incident_list, name="incidents"),
    path("incidents/<int:incident_id>/", pages.incident_detail, name="incident"),
    path("factsheets/", texts.factsheet_list, name="factsheets"),
    path("factsheets/<slug:slug>/", texts.factsheet_detail, name="factsheet"),
    path("factsheets/<slug:slug>.pdf", texts.factsheet_pdf_view, name="factsheet_pdf"),
    path("claims/", texts.claimcheck_list, name="claimchecks"),
    path("claims/<slug:slug>/", texts.claimcheck_detail, name="claimcheck"),
    path("data/", data.data_dictionary, name="data"),
    path("data/incidents.<str:fmt>", data.data_file, name="data_file"),
    path("fund/", pages.fund, name="fund"),
    path("report/", report.report, name="report"),
    path("report/add/", report.report_add, name="report_add"),
    path("language/", pages.language, name="language"),
]
