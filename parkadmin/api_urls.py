"""The one API router: each app contributes the routes of its `api/urls.py`."""

from rest_framework.routers import DefaultRouter

from enterprises.api.urls import router as enterprises_router
from indicators.api.urls import router as indicators_router
from parks.api.urls import router as parks_router
from projects.api.urls import router as projects_router

router = DefaultRouter()
for app_router in (parks_router, enterprises_router, projects_router, indicators_router):
    router.registry.extend(app_router.registry)
