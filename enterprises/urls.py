from django.urls import path

from enterprises import views

app_name = "enterprises"

urlpatterns = [
    path("", views.EnterpriseListView.as_view(), name="enterprise_list"),
    path("add/", views.EnterpriseEditView.as_view(), name="enterprise_add"),
    path("<int:pk>/", views.EnterpriseDetailView.as_view(), name="enterprise_detail"),
    path("<int:pk>/edit/", views.EnterpriseEditView.as_view(), name="enterprise_edit"),
    path("<int:pk>/delete/", views.EnterpriseDeleteView.as_view(), name="enterprise_delete"),
    path("qualifications/", views.QualificationListView.as_view(), name="qualification_list"),
    path("qualifications/add/", views.QualificationEditView.as_view(), name="qualification_add"),
    path("qualifications/<int:pk>/", views.QualificationDetailView.as_view(), name="qualification_detail"),
    path("qualifications/<int:pk>/edit/", views.QualificationEditView.as_view(), name="qualification_edit"),
    path("qualifications/<int:pk>/delete/", views.QualificationDeleteView.as_view(), name="qualification_delete"),
    path("platforms/", views.ResearchPlatformListView.as_view(), name="researchplatform_list"),
    path("platforms/add/", views.ResearchPlatformEditView.as_view(), name="researchplatform_add"),
    path("platforms/<int:pk>/", views.ResearchPlatformDetailView.as_view(), name="researchplatform_detail"),
    path("platforms/<int:pk>/edit/", views.ResearchPlatformEditView.as_view(), name="researchplatform_edit"),
    path("platforms/<int:pk>/delete/", views.ResearchPlatformDeleteView.as_view(), name="researchplatform_delete"),
    path("years/", views.EnterpriseYearListView.as_view(), name="enterpriseyear_list"),
    path("years/add/", views.EnterpriseYearEditView.as_view(), name="enterpriseyear_add"),
    path("years/<int:pk>/", views.EnterpriseYearDetailView.as_view(), name="enterpriseyear_detail"),
    path("years/<int:pk>/edit/", views.EnterpriseYearEditView.as_view(), name="enterpriseyear_edit"),
    path("years/<int:pk>/delete/", views.EnterpriseYearDeleteView.as_view(), name="enterpriseyear_delete"),
    path("incubators/", views.IncubatorListView.as_view(), name="incubator_list"),
    path("incubators/add/", views.IncubatorEditView.as_view(), name="incubator_add"),
    path("incubators/<int:pk>/", views.IncubatorDetailView.as_view(), name="incubator_detail"),
    path("incubators/<int:pk>/edit/", views.IncubatorEditView.as_view(), name="incubator_edit"),
    path("incubators/<int:pk>/delete/", views.IncubatorDeleteView.as_view(), name="incubator_delete"),
    path("incubations/", views.IncubationListView.as_view(), name="incubation_list"),
    path("incubations/add/", views.IncubationEditView.as_view(), name="incubation_add"),
    path("incubations/<int:pk>/", views.IncubationDetailView.as_view(), name="incubation_detail"),
    path("incubations/<int:pk>/edit/", views.IncubationEditView.as_view(), name="incubation_edit"),
    path("incubations/<int:pk>/delete/", views.IncubationDeleteView.as_view(), name="incubation_delete"),
    path("service-requests/", views.ServiceRequestListView.as_view(), name="servicerequest_list"),
    path("service-requests/add/", views.ServiceRequestEditView.as_view(), name="servicerequest_add"),
    path("service-requests/<int:pk>/", views.ServiceRequestDetailView.as_view(), name="servicerequest_detail"),
    path("service-requests/<int:pk>/edit/", views.ServiceRequestEditView.as_view(), name="servicerequest_edit"),
    path("service-requests/<int:pk>/delete/", views.ServiceRequestDeleteView.as_view(), name="servicerequest_delete"),
    path("service-requests/<int:pk>/status/", views.ServiceRequestMoveView.as_view(), name="servicerequest_move"),
]
