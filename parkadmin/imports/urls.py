from django.urls import path

from parkadmin.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:kind>/", views.import_kind, name="kind"),
    path("<slug:kind>/template.xlsx", views.template_download, name="template"),
]
