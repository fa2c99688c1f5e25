from rest_framework.routers import SimpleRouter

from enterprises.api import views

router = SimpleRouter()
router.register("parks", views.ParkViewSet)
router.register("clusters", views.IndustryClusterViewSet)
router.register("enterprises", views.EnterpriseViewSet)
