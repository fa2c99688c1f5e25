from django.urls import path

from projects import views

app_name = "projects"

urlpatterns = [
    path("", views.ProjectListView.as_view(), name="project_list"),
    path("add/", views.ProjectEditView.as_view(), name="project_add"),
    path("board/", views.ProjectBoardView.as_view(), name="board"),
    path("analytics/", views.ProjectAnalyticsView.as_view(), name="analytics"),
    path("scoreboard/", views.ScoreboardView.as_view(), name="scoreboard"),
    path("<int:pk>/", views.ProjectDetailView.as_view(), name="project_detail"),
    path("<int:pk>/edit/", views.ProjectEditView.as_view(), name="project_edit"),
    path("<int:pk>/delete/", views.ProjectDeleteView.as_view(), name="project_delete"),
    path("<int:pk>/stage/", views.ProjectMoveView.as_view(), name="project_move"),
    path("fund-arrivals/", views.FundArrivalListView.as_view(), name="fundarrival_list"),
    path("fund-arrivals/add/", views.FundArrivalEditView.as_view(), name="fundarrival_add"),
    path("fund-arrivals/<int:pk>/", views.FundArrivalDetailView.as_view(), name="fundarrival_detail"),
    path("fund-arrivals/<int:pk>/edit/", views.FundArrivalEditView.as_view(), name="fundarrival_edit"),
    path("fund-arrivals/<int:pk>/delete/", views.FundArrivalDeleteView.as_view(), name="fundarrival_delete"),
    path("updates/", views.ProjectUpdateListView.as_view(), name="projectupdate_list"),
    path("updates/add/", views.ProjectUpdateEditView.as_view(), name="projectupdate_add"),
    path("updates/<int:pk>/", views.ProjectUpdateDetailView.as_view(), name="projectupdate_detail"),
    path("updates/<int:pk>/edit/", views.ProjectUpdateEditView.as_view(), name="projectupdate_edit"),
    path("updates/<int:pk>/delete/", views.ProjectUpdateDeleteView.as_view(), name="projectupdate_delete"),
]
