from django.urls import path

from reports import views

urlpatterns = [
    path("", views.report_page, name="reports"),
    path("annual.xlsx", views.annual_xlsx, name="reports_annual_xlsx"),
    path("annual.pdf", views.annual_pdf, name="reports_annual_pdf"),
]
