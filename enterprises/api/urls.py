from rest_framework.routers import SimpleRouter

from enterprises.api import views

router = SimpleRouter()
router.register("enterprises", views.EnterpriseViewSet)
router.register("qualifications", views.QualificationViewSet)
router.register("research-platforms", views.ResearchPlatformViewSet)
router.register("enterprise-years", views.EnterpriseYearViewSet)
router.register("incubators", views.IncubatorViewSet)
router.register("incubations", views.IncubationViewSet)
router.register("service-requests", views.ServiceRequestViewSet)
