from rest_framework.routers import SimpleRouter

from projects.api import views

router = SimpleRouter()
router.register("projects", views.ProjectViewSet)
router.register("stage-changes", views.StageChangeViewSet)
router.register("fund-arrivals", views.FundArrivalViewSet)
