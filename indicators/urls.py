from django.urls import path

from indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.IndicatorListView.as_view(), name="indicator_list"),
    path("values/", views.IndicatorValueListView.as_view(), name="indicatorvalue_list"),
    path("values/<int:pk>/", views.IndicatorValueDetailView.as_view(), name="indicatorvalue_detail"),
    path("targets/", views.TargetListView.as_view(), name="target_list"),
    path("targets/<int:pk>/", views.TargetDetailView.as_view(), name="target_detail"),
    # Last: an indicator's code could otherwise shadow the paths above.
    path("<slug:code>/", views.IndicatorDetailView.as_view(), name="indicator_detail"),
]
