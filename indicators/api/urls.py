from rest_framework.routers import SimpleRouter

from indicators.api import views

router = SimpleRouter()
router.register("indicators", views.IndicatorViewSet)
router.register("indicator-values", views.IndicatorValueViewSet)
router.register("targets", views.TargetViewSet)
