from django.urls import path

from parkadmin import import_views

app_name = "imports"

urlpatterns = [
    path("", import_views.index, name="index"),
    path("<slug:kind>/", import_views.import_kind, name="kind"),
    path("<slug:kind>/template.xlsx", import_views.template_download, name="template"),
]
