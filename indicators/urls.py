from django.urls import path

from indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.IndicatorListView.as_view(), name="indicator_list"),
    path("add/", views.IndicatorEditView.as_view(), name="indicator_add"),
    path("entry/", views.EntryGridView.as_view(), name="indicatorvalue_entry"),
    path("review/", views.ReviewQueueView.as_view(), name="indicatorvalue_review"),
    path("values/", views.IndicatorValueListView.as_view(), name="indicatorvalue_list"),
    path("values/add/", views.IndicatorValueEditView.as_view(), name="indicatorvalue_add"),
    path("values/<int:pk>/", views.IndicatorValueDetailView.as_view(), name="indicatorvalue_detail"),
    path("values/<int:pk>/edit/", views.IndicatorValueEditView.as_view(), name="indicatorvalue_edit"),
    path("values/<int:pk>/delete/", views.IndicatorValueDeleteView.as_view(), name="indicatorvalue_delete"),
    path("values/<int:pk>/submit/", views.IndicatorValueSubmitView.as_view(), name="indicatorvalue_submit"),
    path("values/<int:pk>/review/", views.ReviewDecisionView.as_view(), name="indicatorvalue_decide"),
    path("targets/", views.TargetListView.as_view(), name="target_list"),
    path("targets/add/", views.TargetEditView.as_view(), name="target_add"),
    path("targets/<int:pk>/", views.TargetDetailView.as_view(), name="target_detail"),
    path("targets/<int:pk>/edit/", views.TargetEditView.as_view(), name="target_edit"),
    path("targets/<int:pk>/delete/", views.TargetDeleteView.as_view(), name="target_delete"),
    # Last: an indicator's code could otherwise shadow the paths above.
    path("<slug:code>/", views.IndicatorDetailView.as_view(), name="indicator_detail"),
    path("<slug:code>/edit/", views.IndicatorEditView.as_view(), name="indicator_edit"),
]
