"""Staff pages for public texts, at /publications/."""

from django.urls import path

from madad.public.views import staff

app_name = "publications"
urlpatterns = [
    path("", staff.publication_list, name="list"),
    path("<slug:kind_slug>/new/", staff.text_edit, name="create"),
    path("<slug:kind_slug>/<int:text_id>/", staff.text_detail, name="detail"),
    path("<slug:kind_slug>/<int:text_id>/edit/", staff.text_edit, name="edit"),
    path("<slug:kind_slug>/<int:text_id>/<slug:action>/", staff.text_action, name="action"),
]
