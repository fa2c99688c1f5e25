"""The dashboard's pages sit at the site's root: `/`, the big screen, My work and `/api/dashboard/`."""

from django.urls import path

from dashboard import views

urlpatterns = [
    path("", views.dashboard, name="home"),
    path("dashboard/screen/", views.screen, name="dashboard_screen"),
    path("my-work/", views.my_work, name="my_work"),
    path("api/dashboard/", views.DashboardAPIView.as_view(), name="api-dashboard"),
]
