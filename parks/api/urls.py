from rest_framework.routers import SimpleRouter

from parks.api import views

router = SimpleRouter()
router.register("parks", views.ParkViewSet)
router.register("clusters", views.IndustryClusterViewSet)
