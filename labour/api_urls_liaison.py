"""API routes: liaison."""

from union_portal.api.routers import PortalRouter

from .api_liaison import AssignmentViewSet

router = PortalRouter()
router.register("labour/liaison-assignments", AssignmentViewSet, basename="labour-liaison-assignment")

urlpatterns: list = router.urls
