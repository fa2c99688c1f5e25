"""The parks' and clusters' pages keep the addresses they have always had, under /enterprises/."""

from django.urls import path

from parks import views

app_name = "parks"
urlpatterns = [
    path("parks/", views.ParkListView.as_view(), name="park_list"),
    path("parks/add/", views.ParkEditView.as_view(), name="park_add"),
    path("parks/<int:pk>/", views.ParkDetailView.as_view(), name="park_detail"),
    path("parks/<int:pk>/edit/", views.ParkEditView.as_view(), name="park_edit"),
    path("parks/<int:pk>/delete/", views.ParkDeleteView.as_view(), name="park_delete"),
    path("clusters/", views.IndustryClusterListView.as_view(), name="industrycluster_list"),
    path("clusters/add/", views.IndustryClusterEditView.as_view(), name="industrycluster_add"),
    path("clusters/<int:pk>/", views.IndustryClusterDetailView.as_view(), name="industrycluster_detail"),
    path("clusters/<int:pk>/edit/", views.IndustryClusterEditView.as_view(), name="industrycluster_edit"),
    path("clusters/<int:pk>/delete/", views.IndustryClusterDeleteView.as_view(), name="industrycluster_delete"),
]
